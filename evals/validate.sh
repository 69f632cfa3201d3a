#!/bin/sh
# Validates the bundled eval suite (see validate.py): each task's failing tests fail before the
# reference fix and every test passes after it. Usage: evals/validate.sh [SUITE_DIR] [TASK_ID ...]
exec python3 "$(dirname "$0")/validate.py" "$@"
