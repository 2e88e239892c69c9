build-dev/tests/helpers/mkhivelog: tests/helpers/mkhivelog.c
