"""Cross-check fixtures for io.modelwork.speaker.metrics: DER/JER computed a second, independent way.

pyannote.metrics is not installable here, so this script computes the same quantities from their definitions on a
1 ms grid (every time in the generated files is a whole number of milliseconds, so counting milliseconds is exact):
UEM = union extent of reference and hypothesis; collar = ±collar/2 around every reference boundary removed;
skip_overlap = milliseconds with two or more reference tracks removed; speaker mapping by
scipy.optimize.linear_sum_assignment on co-occurrence; per millisecond, miss/false alarm/confusion from the track
counts; JER per reference speaker with the reverse mapping. The Java code follows pyannote's segment algebra instead,
so agreement checks both against each other.

Run: python3 der_frames.py   (writes ref.rttm, hyp.rttm and expected.json next to this file)
"""
import json
import os

import numpy as np
from scipy.optimize import linear_sum_assignment

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(14)


def make_files():
    ref, hyp = [], []
    for u in range(3):
        uri = 'meeting%d' % u
        nspk = 2 + u
        t = int(rng.integers(0, 2000))
        for k in range(25):
            spk = int(rng.integers(0, nspk))
            dur = int(rng.integers(30, 400)) * 10
            start = t
            ref.append((uri, start, dur, 'spk%d' % spk))
            if rng.random() < 0.25:  # overlapping speech from another speaker
                o = int(rng.integers(0, max(1, dur // 10))) * 10
                ref.append((uri, start + o, int(rng.integers(30, 150)) * 10, 'spk%d' % ((spk + 1) % nspk)))
            t = start + dur + int(rng.integers(-20, 80)) * 10
            t = max(t, start + 10)
        perm = rng.permutation(nspk + 1)
        for (r_uri, s, d, spk) in [x for x in ref if x[0] == uri]:
            if rng.random() < 0.1:
                continue  # missed turn
            s2 = max(0, s + int(rng.integers(-30, 31)) * 10)
            d2 = max(10, d + int(rng.integers(-30, 31)) * 10)
            lab = int(spk[3:])
            if rng.random() < 0.12:
                lab = int(rng.integers(0, nspk + 1))  # confusion, sometimes an extra speaker
            hyp.append((uri, s2, d2, 'h%d' % perm[lab]))
        for _ in range(4):  # false alarms
            hyp.append((uri, int(rng.integers(0, t // 10)) * 10, int(rng.integers(30, 200)) * 10,
                        'h%d' % int(rng.integers(0, nspk + 1))))
    return ref, hyp


def write(rows, name):
    with open(os.path.join(HERE, name), 'w') as f:
        for (uri, s, d, spk) in rows:
            f.write('SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>\n' % (uri, s / 1000, d / 1000, spk))


def grid(rows, labels, n):
    g = np.zeros((len(labels), n), dtype=int)
    for (_, s, d, spk) in rows:
        g[labels.index(spk), s:s + d] += 1
    return g


def make_uem(ref):
    """Two evaluated regions per file (ms), cutting through turns."""
    out = {}
    for uri in sorted(set(r[0] for r in ref)):
        end = max(s + d for (u, s, d, _) in ref if u == uri)
        a = int(end * 0.1) // 10 * 10; b = int(end * 0.45) // 10 * 10
        c = int(end * 0.55) // 10 * 10; d = int(end * 0.9) // 10 * 10
        out[uri] = [(a, b), (c, d)]
    return out


def score(ref, hyp, collar_ms, skip, uem_regions=None):
    out = {'false_alarm': 0, 'missed': 0, 'confusion': 0, 'total': 0, 'jer_sum': 0.0, 'jer_n': 0}
    for uri in sorted(set(r[0] for r in ref)):
        R = [r for r in ref if r[0] == uri]
        H = [h for h in hyp if h[0] == uri]
        n = max(s + d for (_, s, d, _) in R + H) + 1000
        start = min(s for (_, s, _, _) in R + H)
        end = max(s + d for (_, s, d, _) in R + H)
        uem = np.zeros(n, dtype=bool)
        if uem_regions is None:
            uem[start:end] = True
        else:
            for (a, b) in uem_regions[uri]:
                uem[a:b] = True
        rl = sorted(set(r[3] for r in R)); hl = sorted(set(h[3] for h in H))
        rg = grid(R, rl, n); hg = grid(H, hl, n)
        if collar_ms:
            for (_, s, d, _) in R:
                for b in (s, s + d):
                    uem[max(0, b - collar_ms // 2):b + collar_ms // 2] = False
        if skip:
            uem &= rg.sum(0) < 2
        rg = rg * uem; hg = hg * uem
        rl_keep = [i for i in range(len(rl)) if rg[i].any()]
        hl_keep = [j for j in range(len(hl)) if hg[j].any()]
        co = (hg[:, None, :] * rg[None, :, :]).sum(2)  # hyp x ref, in ms (track pairs)
        mapping = {}
        if hl_keep and rl_keep:
            sub = co[np.ix_(hl_keep, rl_keep)]
            a, b = linear_sum_assignment(-sub)
            for i, j in zip(a, b):
                if sub[i, j] > 0:
                    mapping[hl_keep[i]] = rl_keep[j]
        nr = rg.sum(0); nh = hg.sum(0)
        mapped = np.zeros_like(rg)
        for h, r in mapping.items():
            mapped[r] += hg[h]
        correct = np.minimum(rg, mapped).sum(0)
        m = np.minimum(nr, nh)
        out['total'] += int(nr.sum()); out['missed'] += int((nr - m).sum())
        out['false_alarm'] += int((nh - m).sum()); out['confusion'] += int((m - correct).sum())
        # JER: reverse mapping (reference x hypothesis)
        rmap = {}
        if hl_keep and rl_keep:
            sub = co[np.ix_(hl_keep, rl_keep)].T
            a, b = linear_sum_assignment(-sub)
            for i, j in zip(a, b):
                if sub[i, j] > 0:
                    rmap[rl_keep[i]] = hl_keep[j]
        for r in rl_keep:
            if r not in rmap:
                out['jer_sum'] += 1.0
            else:
                rr = rg[r] > 0; hh = hg[rmap[r]] > 0
                out['jer_sum'] += ((hh & ~rr).sum() + (rr & ~hh).sum()) / (rr | hh).sum()
            out['jer_n'] += 1
    res = {k: out[k] / 1000 for k in ('false_alarm', 'missed', 'confusion', 'total')}
    res['der'] = (out['false_alarm'] + out['missed'] + out['confusion']) / out['total']
    res['jer'] = out['jer_sum'] / out['jer_n']
    return res


def main():
    ref, hyp = make_files()
    write(ref, 'ref.rttm'); write(hyp, 'hyp.rttm')
    cases = {}
    for collar in (0, 250, 500):
        for skip in (False, True):
            cases['collar%.3f_skip%s' % (collar / 1000, skip)] = dict(collar=collar / 1000, skip_overlap=skip,
                                                                    **score(ref, hyp, collar, skip))
    regions = make_uem(ref)
    with open(os.path.join(HERE, 'two_regions.uem'), 'w') as f:
        for uri, segs in regions.items():
            for (a, b) in segs:
                f.write('%s 1 %.3f %.3f\n' % (uri, a / 1000, b / 1000))
    for collar in (0, 500):
        for skip in (False, True):
            cases['uem_collar%.3f_skip%s' % (collar / 1000, skip)] = dict(
                collar=collar / 1000, skip_overlap=skip, uem='two_regions.uem',
                **score(ref, hyp, collar, skip, regions))
    json.dump(cases, open(os.path.join(HERE, 'expected.json'), 'w'), indent=1, sort_keys=True)
    print(json.dumps(cases, indent=1))


if __name__ == '__main__':
    main()
