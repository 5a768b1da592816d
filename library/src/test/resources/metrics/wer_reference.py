"""Writes wer_reference.json: jiwer 4.0's process_words/process_characters counts on a set of pairs.

jiwer itself is not installable on this machine, so this script re-states jiwer 4.0's `process_words`
(src/jiwer/process.py): wer_default = RemoveMultipleSpaces, Strip, ReduceToListOfListOfWords; cer_default = Strip,
ReduceToListOfListOfChars; words mapped to integers; rapidfuzz.distance.Levenshtein.opcodes per sentence, counts
summed; WER = (S+D+I)/(H+S+D), or I when the reference corpus is empty. The alignment itself is rapidfuzz's.
Run: python3 wer_reference.py > wer_reference.json   (rapidfuzz 3.14.6 was used)
"""
import json, random, re
from rapidfuzz.distance import Levenshtein

def words(s):
    s = re.sub(r"\s\s+", " ", s).strip()
    return [w for w in s.split(" ") if len(w) >= 1]

def chars(s):
    return list(s.strip())

def process(refs, hyps, tok):
    ids = {}
    R = [[ids.setdefault(w, len(ids)) for w in tok(r)] for r in refs]
    Hy = [[ids.setdefault(w, len(ids)) for w in tok(h)] for h in hyps]
    H = S = D = I = nr = nh = 0
    per = []
    for r, h in zip(R, Hy):
        s = d = i = hh = 0
        for tag, i1, i2, j1, j2 in Levenshtein.opcodes(r, h):
            if tag == "equal": hh += i2 - i1
            elif tag == "replace": s += i2 - i1
            elif tag == "delete": d += i2 - i1
            elif tag == "insert": i += j2 - j1
        per.append([hh, s, d, i])
        H += hh; S += s; D += d; I += i; nr += len(r); nh += len(h)
    rate = I if nr == 0 else (S + D + I) / (H + S + D)
    return {"hits": H, "substitutions": S, "deletions": D, "insertions": I, "rate": rate, "per": per}

cases = [
    (["the cat sat on the mat"], ["the cat sat on the mat"]),
    (["the cat sat on the mat"], ["the cat sit on mat"]),
    (["hello world"], ["hello  big   world "]),
    (["Hello, World!"], ["hello world"]),
    ([""], ["some words"]),
    ([""], [""]),
    (["a b c"], [""]),
    (["and so my fellow americans ask not what your country can do for you"],
     ["and so my fellow americans ask not what your country can do for you ask what you can do for your country"]),
    (["he was not an ill disposed young man", "he might even have been made amiable himself"],
     ["he was not an ill disposed young man", "he might even of been made amiable him self"]),
    (["one two three", ""], ["one too three four", "extra"]),
]
random.seed(7)
vocab = "a an the cat dog sat on mat was is he she it ran".split()
for _ in range(40):
    k = random.randint(1, 4)
    refs = [" ".join(random.choice(vocab) for _ in range(random.randint(0, 9))) for _ in range(k)]
    hyps = [" ".join(random.choice(vocab) for _ in range(random.randint(0, 9))) for _ in range(k)]
    cases.append((refs, hyps))
out = [{"refs": r, "hyps": h, "words": process(r, h, words), "chars": process(r, h, chars)} for r, h in cases]
print(json.dumps(out, indent=1))
