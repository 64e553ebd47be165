#!/usr/bin/env python3
"""Crash-safety soak (not run in CI): kills `newsdex index` with SIGKILL at random moments.

Each round edits, deletes and adds files in a generated corpus, starts `newsdex index` (a
nightly run, or `--full` every third round) with small commit batches, and kills it with
SIGKILL after a random delay. Then it checks that:

  1. the index opens (`newsdex stats --json` exits 0);
  2. after the next complete run, the set of article ids equals that of a clean build of the
     same corpus, with no id twice.

Usage: scripts/soak_kill.py [--rounds 50 | --kills 50] [--files 3000] [--seed 1]
                            [--bin target/release/newsdex]
A run that finishes before its kill still counts as a round; `--kills N` goes on until N rounds
were really killed. Prints one line a round and `N of R rounds converged (K killed)` at the end;
exits 1 on a failure.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

WORDS = (
    "trade talks minister said energy tariffs exports growth bank rates inflation election vote "
    "parliament court ruling strike union wages drought harvest climate storm flood rescue "
    "hospital vaccine school teachers market shares profit merger oil gas pipeline mine copper "
    "lithium football match league final festival film museum"
).split()
PLACES = (
    "India France Kenya Brazil Japan Germany Chile Peru Norway Egypt Canada Mexico Poland "
    "Vietnam Ghana Spain Italy Turkey Australia Argentina"
).split()
PEOPLE = (
    "Amara Okafor|Lucia Ferreira|Hiro Tanaka|Ingrid Larsen|Omar Haddad|Priya Raman|"
    "Marco Bellini|Nadia Petrova|Kofi Mensah|Greta Lindqvist"
).split("|")


def article(rng, number):
    place = rng.choice(PLACES)
    person = rng.choice(PEOPLE)
    title = f"{place} {rng.choice(WORDS)} {rng.choice(WORDS)} story {number}"
    paragraphs = []
    for _ in range(rng.randint(2, 6)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(20, 60))]
        words.insert(rng.randint(0, len(words)), person)
        words.insert(rng.randint(0, len(words)), place)
        paragraphs.append(" ".join(words).capitalize() + ".")
    return f"{title}\n\n" + "\n\n".join(paragraphs) + f"\n\nStory {number}.\n"


def write_jsonl(rng, path, first, count):
    with open(path, "w") as out:
        for n in range(first, first + count):
            text = article(rng, n)
            title, body = text.split("\n\n", 1)
            out.write(json.dumps({"id": f"rec{n}", "title": title, "body": body}) + "\n")


def run(bin_, *args, check=True):
    done = subprocess.run([bin_, *args], capture_output=True, text=True)
    if check and done.returncode not in (0, 1):
        raise RuntimeError(f"newsdex {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done


def ids(bin_, index):
    done = run(bin_, "search", "", "--index", index, "--json", "-n", "1000000", check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"search exited {done.returncode}: {done.stderr}")
    return [hit["id"] for hit in json.loads(done.stdout)["hits"]]


def mutate(rng, corpus, state):
    files = sorted(os.listdir(os.path.join(corpus, "txt")))
    for name in rng.sample(files, min(len(files), rng.randint(0, 30))):
        with open(os.path.join(corpus, "txt", name), "a") as out:
            out.write(f"\nAn update {rng.randint(0, 10**9)} to the story.\n")
    files = sorted(os.listdir(os.path.join(corpus, "txt")))
    for name in rng.sample(files, min(len(files) // 20, rng.randint(0, 30))):
        os.remove(os.path.join(corpus, "txt", name))
    for _ in range(rng.randint(0, 40)):
        state["next"] += 1
        with open(os.path.join(corpus, "txt", f"{state['next']:06}.txt"), "w") as out:
            out.write(article(rng, state["next"]))
    if rng.random() < 0.3:
        state["next"] += 1000
        write_jsonl(rng, os.path.join(corpus, "dumps", f"d{state['next']}.jsonl"),
                    state["next"], rng.randint(50, 300))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--kills", type=int, default=0,
                        help="go on until this many rounds were killed (instead of --rounds)")
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bin", default="target/release/newsdex")
    args = parser.parse_args()
    bin_ = os.path.abspath(args.bin)
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="newsdex-soak-")
    corpus, index = os.path.join(work, "corpus"), os.path.join(work, "index")
    os.makedirs(os.path.join(corpus, "txt"))
    os.makedirs(os.path.join(corpus, "dumps"))
    state = {"next": 0}
    for _ in range(args.files):
        state["next"] += 1
        with open(os.path.join(corpus, "txt", f"{state['next']:06}.txt"), "w") as out:
            out.write(article(rng, state["next"]))
    write_jsonl(rng, os.path.join(corpus, "dumps", "d0.jsonl"), 10**6, 500)

    started = time.monotonic()
    run(bin_, "index", corpus, "--index", index, "-q", "--full", "--commit-every", "200")
    full_seconds = time.monotonic() - started
    print(f"corpus in {work}: first full build {full_seconds:.1f}s", flush=True)

    converged = 0
    # How long an uninterrupted nightly run took last time: kills land within that.
    nightly_seconds = full_seconds / 4
    kills = 0
    round_ = 0
    while (kills < args.kills) if args.kills else (round_ < args.rounds):
        round_ += 1
        mutate(rng, corpus, state)
        full = round_ % 3 == 0
        delay = rng.uniform(0.02, full_seconds if full else nightly_seconds)
        command = [bin_, "index", corpus, "--index", index, "-q", "--allow-purge",
                   "--commit-every", str(rng.choice([20, 100, 500]))]
        if full:
            command.append("--full")
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        killed = child.poll() is None
        if killed:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
        problems = []
        opened = run(bin_, "stats", "--index", index, "--json", check=False)
        if opened.returncode != 0:
            problems.append(f"index does not open after the kill: {opened.stderr.strip()}")
        started = time.monotonic()
        finish = run(bin_, "index", corpus, "--index", index, "-q", "--allow-purge", check=False)
        if not full:
            nightly_seconds = max(0.1, time.monotonic() - started)
        if finish.returncode not in (0, 1):
            problems.append(f"next run exited {finish.returncode}: {finish.stderr.strip()}")
        clean = os.path.join(work, "clean")
        shutil.rmtree(clean, ignore_errors=True)
        run(bin_, "index", corpus, "--index", clean, "-q", "--full")
        got, want = ids(bin_, index), ids(bin_, clean)
        if len(got) != len(set(got)):
            problems.append(f"{len(got) - len(set(got))} duplicate ids")
        if set(got) != set(want):
            problems.append(
                f"ids differ: {len(set(got) - set(want))} extra, {len(set(want) - set(got))} missing"
            )
        converged += not problems
        what = "full" if full else "nightly"
        when = f"killed after {delay:.2f}s" if killed else "finished before the kill"
        verdict = "ok" if not problems else "FAILED: " + "; ".join(problems)
        print(f"round {round_:2}: {what:7} {when:28} {len(got):6} articles  {verdict}", flush=True)
    print(f"{converged} of {round_} rounds converged ({kills} killed)")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if converged == round_ else 1)


if __name__ == "__main__":
    main()
