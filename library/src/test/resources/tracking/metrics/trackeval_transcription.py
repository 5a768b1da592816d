"""Cross-check fixtures for io.modelwork.tracking.metrics.

TrackEval itself is not installable here (no wheel in the local wheelhouse), so this file is a transcription of the
parts of TrackEval that compute HOTA, CLEAR and Identity for MOTChallenge 2D boxes (trackeval/metrics/hota.py,
clear.py, identity.py eval_sequence; datasets/mot_challenge_2d_box.py get_preprocessed_seq_data;
_base_dataset._calculate_box_ious), written in numpy and run with scipy.optimize.linear_sum_assignment, the solver
TrackEval calls. It checks the Java port (its matrices, masks, accumulation order and the SciPy tie-breaking of its
hand-written solver) against numpy/scipy semantics; it cannot catch a rule this transcription and the Java share.

Run:  python3 trackeval_transcription.py /path/to/shared/data/tracking/gt.txt
Writes pets200_gt.txt, pets200_<name>.txt and expected.json next to this file.
      python3 trackeval_transcription.py --time GT PRED FRAMES REPS   (used by bench/ MetricsBench as the baseline)
"""
import json
import os
import sys

import numpy as np
from scipy.optimize import linear_sum_assignment

EPS = np.finfo('float').eps
HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    data = {}
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        row = [float(x) for x in line.split(',')]
        data.setdefault(int(row[0]), []).append(row)
    return data


def ious(b1, b2):
    b1 = b1.copy(); b2 = b2.copy()
    b1[:, 2] = b1[:, 0] + b1[:, 2]; b1[:, 3] = b1[:, 1] + b1[:, 3]
    b2[:, 2] = b2[:, 0] + b2[:, 2]; b2[:, 3] = b2[:, 1] + b2[:, 3]
    mn = np.minimum(b1[:, np.newaxis, :], b2[np.newaxis, :, :])
    mx = np.maximum(b1[:, np.newaxis, :], b2[np.newaxis, :, :])
    inter = np.maximum(mn[..., 2] - mx[..., 0], 0) * np.maximum(mn[..., 3] - mx[..., 1], 0)
    a1 = (b1[..., 2] - b1[..., 0]) * (b1[..., 3] - b1[..., 1])
    a2 = (b2[..., 2] - b2[..., 0]) * (b2[..., 3] - b2[..., 1])
    union = a1[:, np.newaxis] + a2[np.newaxis, :] - inter
    inter[a1 <= 0 + EPS, :] = 0
    inter[:, a2 <= 0 + EPS] = 0
    inter[union <= 0 + EPS] = 0
    union[union <= 0 + EPS] = 1
    return inter / union


def preprocess(gt_path, tr_path, num_timesteps):
    g = load(gt_path); p = load(tr_path)
    distractor = [2, 7, 8, 12]
    data = {k: [None] * num_timesteps for k in ['gt_ids', 'tracker_ids', 'similarity_scores']}
    ug, ut = [], []
    for t in range(num_timesteps):
        gr = np.array(g.get(t + 1, []), dtype=float).reshape(-1, 9)
        pr = np.array(p.get(t + 1, []), dtype=float).reshape(-1, 10)
        gt_ids = gr[:, 1].astype(int); gt_dets = gr[:, 2:6]; gt_cls = gr[:, 7].astype(int); zero = gr[:, 6].astype(int)
        tr_ids = pr[:, 1].astype(int); tr_dets = pr[:, 2:6]
        sim = ious(gt_dets, tr_dets) if len(gt_ids) and len(tr_ids) else np.zeros((len(gt_ids), len(tr_ids)))
        remove = np.array([], int)
        if len(gt_ids) > 0 and len(tr_ids) > 0:
            ms = sim.copy(); ms[ms < 0.5 - EPS] = 0
            r, c = linear_sum_assignment(-ms)
            ok = ms[r, c] > 0 + EPS
            r, c = r[ok], c[ok]
            remove = c[np.isin(gt_cls[r], distractor)]
        tr_ids = np.delete(tr_ids, remove, axis=0)
        sim = np.delete(sim, remove, axis=1)
        keep = np.not_equal(zero, 0) & np.equal(gt_cls, 1)
        data['gt_ids'][t] = gt_ids[keep]
        data['tracker_ids'][t] = tr_ids
        data['similarity_scores'][t] = sim[keep]
        ug += list(np.unique(data['gt_ids'][t])); ut += list(np.unique(tr_ids))
    for key, u in (('gt_ids', ug), ('tracker_ids', ut)):
        u = np.unique(u)
        m = np.nan * np.ones(np.max(u) + 1); m[u] = np.arange(len(u))
        for t in range(num_timesteps):
            if len(data[key][t]) > 0:
                data[key][t] = m[data[key][t]].astype(int)
    data['num_gt_ids'] = len(np.unique(ug)); data['num_tracker_ids'] = len(np.unique(ut))
    data['num_gt_dets'] = sum(len(x) for x in data['gt_ids'])
    data['num_tracker_dets'] = sum(len(x) for x in data['tracker_ids'])
    data['num_timesteps'] = num_timesteps
    return data


def hota(data):
    al = np.arange(0.05, 0.99, 0.05)
    res = {k: np.zeros(len(al)) for k in ['HOTA_TP', 'HOTA_FN', 'HOTA_FP', 'LocA', 'AssA', 'AssRe', 'AssPr']}
    pm = np.zeros((data['num_gt_ids'], data['num_tracker_ids']))
    gc = np.zeros((data['num_gt_ids'], 1)); tc = np.zeros((1, data['num_tracker_ids']))
    for t, (gi, ti) in enumerate(zip(data['gt_ids'], data['tracker_ids'])):
        s = data['similarity_scores'][t]
        den = s.sum(0)[np.newaxis, :] + s.sum(1)[:, np.newaxis] - s
        si = np.zeros_like(s); mask = den > 0 + EPS
        si[mask] = s[mask] / den[mask]
        pm[gi[:, np.newaxis], ti[np.newaxis, :]] += si
        gc[gi] += 1; tc[0, ti] += 1
    gas = pm / (gc + tc - pm)
    mc = [np.zeros_like(pm) for _ in al]
    for t, (gi, ti) in enumerate(zip(data['gt_ids'], data['tracker_ids'])):
        if len(gi) == 0:
            res['HOTA_FP'] += len(ti); continue
        if len(ti) == 0:
            res['HOTA_FN'] += len(gi); continue
        s = data['similarity_scores'][t]
        sm = gas[gi[:, np.newaxis], ti[np.newaxis, :]] * s
        r, c = linear_sum_assignment(-sm)
        for a, alpha in enumerate(al):
            ok = s[r, c] >= alpha - EPS
            ar, ac = r[ok], c[ok]; n = len(ar)
            res['HOTA_TP'][a] += n; res['HOTA_FN'][a] += len(gi) - n; res['HOTA_FP'][a] += len(ti) - n
            if n > 0:
                res['LocA'][a] += sum(s[ar, ac])
                mc[a][gi[ar], ti[ac]] += 1
    for a in range(len(al)):
        m = mc[a]
        res['AssA'][a] = np.sum(m * (m / np.maximum(1, gc + tc - m))) / np.maximum(1, res['HOTA_TP'][a])
        res['AssRe'][a] = np.sum(m * (m / np.maximum(1, gc))) / np.maximum(1, res['HOTA_TP'][a])
        res['AssPr'][a] = np.sum(m * (m / np.maximum(1, tc))) / np.maximum(1, res['HOTA_TP'][a])
    res['LocA'] = np.maximum(1e-10, res['LocA']) / np.maximum(1e-10, res['HOTA_TP'])
    return hota_final(res)


def hota_combine(all_res):
    """hota.py combine_sequences: sums, TP-weighted AssA/AssRe/AssPr (_combine_weighted_av) and LocA."""
    res = {}
    for f in ['HOTA_TP', 'HOTA_FN', 'HOTA_FP']:
        res[f] = sum(r[f] for r in all_res)
    for f in ['AssRe', 'AssPr', 'AssA']:
        res[f] = sum(r[f] * r['HOTA_TP'] for r in all_res) / np.maximum(1.0, res['HOTA_TP'])
    loca = sum(r['LocA'] * r['HOTA_TP'] for r in all_res)
    res['LocA'] = np.maximum(1e-10, loca) / np.maximum(1e-10, res['HOTA_TP'])
    return hota_final(res)


def hota_final(res):
    tp, fn, fp = res['HOTA_TP'], res['HOTA_FN'], res['HOTA_FP']
    deta = tp / np.maximum(1, tp + fn + fp)
    h = np.sqrt(deta * res['AssA'])
    return {'_raw': res, 'hota': h.mean(), 'deta': deta.mean(), 'assa': res['AssA'].mean(), 'loca': res['LocA'].mean(),
            'assre': res['AssRe'].mean(), 'asspr': res['AssPr'].mean(), 'hota0': h[0],
            'detre': (tp / np.maximum(1, tp + fn)).mean(), 'detpr': (tp / np.maximum(1, tp + fp)).mean()}


def clear(data):
    th = 0.5
    n = data['num_gt_ids']
    gic = np.zeros(n); gmc = np.zeros(n); gfc = np.zeros(n)
    prev = np.nan * np.zeros(n); prevt = np.nan * np.zeros(n)
    tp = fn = fp = idsw = 0; motp = 0.0
    for t, (gi, ti) in enumerate(zip(data['gt_ids'], data['tracker_ids'])):
        if len(gi) == 0:
            fp += len(ti); continue
        if len(ti) == 0:
            fn += len(gi); gic[gi] += 1; continue
        s = data['similarity_scores'][t]
        sm = (ti[np.newaxis, :] == prevt[gi[:, np.newaxis]])
        sm = 1000 * sm + s
        sm[s < th - EPS] = 0
        r, c = linear_sum_assignment(-sm)
        ok = sm[r, c] > 0 + EPS
        r, c = r[ok], c[ok]
        mg, mt = gi[r], ti[c]
        pm = prev[mg]
        idsw += np.sum(np.logical_not(np.isnan(pm)) & np.not_equal(mt, pm))
        gic[gi] += 1; gmc[mg] += 1
        notprev = np.isnan(prevt)
        prev[mg] = mt
        prevt[:] = np.nan; prevt[mg] = mt
        gfc += np.logical_and(notprev, np.logical_not(np.isnan(prevt)))
        k = len(mg); tp += k; fn += len(gi) - k; fp += len(ti) - k
        if k > 0:
            motp += sum(s[r, c])
    ratio = gmc[gic > 0] / gic[gic > 0]
    mt_ = int(np.sum(np.greater(ratio, 0.8))); pt = int(np.sum(np.greater_equal(ratio, 0.2))) - mt_
    return {'mota': (tp - fp - idsw) / max(1.0, tp + fn), 'motp': motp / max(1.0, tp), 'tp': int(tp), 'fp': int(fp),
            'fn': int(fn), 'idsw': int(idsw), 'mt': mt_, 'pt': pt, 'ml': n - mt_ - pt,
            'frag': int(np.sum(np.subtract(gfc[gfc > 0], 1)))}


def identity(data):
    G, T = data['num_gt_ids'], data['num_tracker_ids']
    pm = np.zeros((G, T)); gc = np.zeros(G); tc = np.zeros(T)
    for t, (gi, ti) in enumerate(zip(data['gt_ids'], data['tracker_ids'])):
        a, b = np.nonzero(np.greater_equal(data['similarity_scores'][t], 0.5))
        pm[gi[a], ti[b]] += 1
        gc[gi] += 1; tc[ti] += 1
    fpm = np.zeros((G + T, G + T)); fnm = np.zeros((G + T, G + T))
    fpm[G:, :T] = 1e10; fnm[:G, T:] = 1e10
    for g in range(G):
        fnm[g, :T] = gc[g]; fnm[g, T + g] = gc[g]
    for k in range(T):
        fpm[:G, k] = tc[k]; fpm[k + G, k] = tc[k]
    fnm[:G, :T] -= pm; fpm[:G, :T] -= pm
    r, c = linear_sum_assignment(fnm + fpm)
    idfn = int(fnm[r, c].sum()); idfp = int(fpm[r, c].sum()); idtp = int(gc.sum() - idfn)
    return {'idf1': idtp / max(1.0, idtp + 0.5 * idfp + 0.5 * idfn), 'idtp': idtp, 'idfp': idfp, 'idfn': idfn}


def perturb(gt, rng, jitter, drop, fp_rate, switch_every, wh_noise):
    out = []
    frames = sorted(gt)
    for f in frames:
        for row in gt[f]:
            if rng.random() < drop:
                continue
            fid = int(row[1])
            if switch_every and f > switch_every and fid % 3 == 0:
                fid = fid + 100 * (f // switch_every)  # a new id every switch_every frames for every third person
            x = row[2] + rng.normal(0, jitter); y = row[3] + rng.normal(0, jitter)
            w = max(1.0, row[4] * (1 + rng.normal(0, wh_noise))); h = max(1.0, row[5] * (1 + rng.normal(0, wh_noise)))
            out.append((f, fid, x, y, w, h))
        for _ in range(rng.poisson(fp_rate)):
            out.append((f, 900 + int(rng.integers(0, 5)), rng.uniform(0, 700), rng.uniform(0, 500),
                        rng.uniform(20, 50), rng.uniform(50, 100)))
    # write sorted by frame, ids unique per frame
    seen = set(); lines = []
    for (f, i, x, y, w, h) in sorted(out, key=lambda r: r[0]):
        if (f, i) in seen:
            continue
        seen.add((f, i))
        lines.append('%d,%d,%.2f,%.2f,%.2f,%.2f,1,-1,-1,-1' % (f, i, x, y, w, h))
    return lines


def main():
    gt_src = sys.argv[1]
    frames = 200
    gt_lines = [l.strip() for l in open(gt_src) if l.strip() and int(l.split(',')[0]) <= frames]
    gt_path = os.path.join(HERE, 'pets200_gt.txt')
    open(gt_path, 'w').write('\n'.join(gt_lines) + '\n')
    gt = load(gt_path)
    rng = np.random.default_rng(20261202)
    cases = {
        'jitter': dict(jitter=2.0, drop=0.05, fp_rate=0.3, switch_every=0, wh_noise=0.03),
        'switches': dict(jitter=1.5, drop=0.10, fp_rate=0.5, switch_every=40, wh_noise=0.05),
        'noisy': dict(jitter=6.0, drop=0.15, fp_rate=1.0, switch_every=70, wh_noise=0.12),
    }
    expected = {}
    raws, clears, ids = [], [], []
    for name, kw in cases.items():
        path = os.path.join(HERE, 'pets200_%s.txt' % name)
        open(path, 'w').write('\n'.join(perturb(gt, rng, **kw)) + '\n')
        d = preprocess(gt_path, path, frames)
        r = {}
        r.update(hota(d)); r.update(clear(d)); r.update(identity(d))
        raws.append(r.pop('_raw')); clears.append(r); ids.append(r)
        expected[name] = {k: (float(v) if isinstance(v, (float, np.floating)) else int(v)) for k, v in r.items()}
    # the three trackers as three sequences of one benchmark (TrackEval's COMBINED_SEQ row)
    c = hota_combine(raws); c.pop('_raw')
    tp = sum(x['tp'] for x in clears); fp = sum(x['fp'] for x in clears); fn = sum(x['fn'] for x in clears)
    idsw = sum(x['idsw'] for x in clears); motp_sum = sum(x['motp'] * max(1.0, x['tp']) for x in clears)
    c.update({'tp': tp, 'fp': fp, 'fn': fn, 'idsw': idsw, 'mota': (tp - fp - idsw) / max(1.0, tp + fn),
              'motp': motp_sum / max(1.0, tp), 'frag': sum(x['frag'] for x in clears)})
    idtp = sum(x['idtp'] for x in ids); idfp = sum(x['idfp'] for x in ids); idfn = sum(x['idfn'] for x in ids)
    c.update({'idf1': idtp / max(1.0, idtp + 0.5 * idfp + 0.5 * idfn), 'idtp': idtp})
    combined = {k: (float(v) if isinstance(v, (float, np.floating)) else int(v)) for k, v in c.items()}
    json.dump({'frames': frames, 'numpy': np.__version__, 'scipy': __import__('scipy').__version__,
               'cases': expected, 'combined': combined}, open(os.path.join(HERE, 'expected.json'), 'w'), indent=1, sort_keys=True)
    print(json.dumps(expected, indent=1))


def time_it(gt_path, tr_path, frames, reps):
    """Prints the median seconds of pre-processing + HOTA + CLEAR + Identity (the bench's baseline)."""
    import time
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        d = preprocess(gt_path, tr_path, frames)
        hota(d); clear(d); identity(d)
        ts.append(time.perf_counter() - t0)
    print(sorted(ts)[len(ts) // 2])


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--time':
        time_it(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
