#!/bin/sh
# valgrind.sh: run pytriage ($PYTRIAGE_REAL) under valgrind memcheck.  Any
# memory error or definite leak turns into exit status 99, which the golden
# and system tests then report as a wrong exit status.
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    "${PYTRIAGE_REAL:?set PYTRIAGE_REAL to the pytriage binary}" "$@"
