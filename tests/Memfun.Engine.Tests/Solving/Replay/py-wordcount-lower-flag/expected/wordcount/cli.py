import argparse
import sys

from wordcount.core import count_words


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="wordcount")
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--lower", action="store_true", help="lowercase words before counting")
    args = parser.parse_args(argv)
    with open(args.file, encoding="utf-8") as f:
        counts = count_words(f.read(), lower=args.lower)
    for word, n in counts.most_common(args.top):
        print(f"{n:6} {word}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
