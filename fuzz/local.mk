# fuzz/: libFuzzer harnesses (issue 8).  They are built with clang by
# fuzz/build.sh, outside this build (-fsanitize=fuzzer needs clang and links
# the code under test straight in), and run by fuzz/run.sh; .ci/run replays
# the kept crashers and runs a one-minute smoke.  Here they are only
# distributed.
EXTRA_DIST += fuzz/README.md fuzz/FINDINGS.md fuzz/build.sh fuzz/run.sh \
	fuzz/make-seeds.py fuzz/lsan.supp fuzz/fuzz_host.c fuzz/fuzz_host.h \
	fuzz/fuzz_plugin.c fuzz/fuzz_extract.c fuzz/fuzz_photo_meta.c \
	fuzz/fuzz_encoding.c fuzz/corpus fuzz/regressions \
	scripts/sanitize.sh docs/THREAT_MODEL.md
