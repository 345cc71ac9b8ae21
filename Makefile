# tsshim: a containerd shim v2 in TypeScript. Every target works as root with
# no stdin from a fresh clone on Debian 12: `build` installs what is missing.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
.PHONY: build demo test install bench clean

RUNTIME ?= io.containerd.tsshim.v2
PREFIX ?= /usr/local
TEST_LOG := .work/test

# apt packages, npm ci, tsc, the busybox image; each skipped when up to date.
build:
	@scripts/setup.sh

# A private containerd, one container through tsshim, then down (also on failure).
demo: build
	@trap 'scripts/containerd.sh down' EXIT; \
	scripts/containerd.sh up; \
	eval "$$(scripts/containerd.sh env)"; \
	echo "+ ctr run --rm --runtime $(RUNTIME) $$TSSHIM_IMAGE demo-$$$$ echo hello"; \
	timeout -s KILL 60 ctr run --rm --runtime $(RUNTIME) "$$TSSHIM_IMAGE" demo-$$$$ echo hello </dev/null

# unit tests in parallel, then integration and e2e one file at a time (they
# share the kernel: mounts, cgroups, containerd). One summary line at the end.
test: build
	@mkdir -p $(TEST_LOG); rm -f $(TEST_LOG)/*.out; rc=0; \
	run() { local log=$$1; shift; \
	  node --test --test-timeout=900000 "$$@" </dev/null 2>&1 | tee $(TEST_LOG)/$$log.out || rc=1; }; \
	dirs() { for d in "$$@"; do [ -d "$$d" ] && echo "$$d"; done; return 0; }; \
	unit="$$(dirs dist/test/unit)"; slow="$$(dirs dist/test/integration dist/test/e2e)"; \
	[ -n "$$unit" ] && run unit $$unit; \
	[ -n "$$slow" ] && run slow --test-concurrency=1 $$slow; \
	sum() { cat $(TEST_LOG)/*.out 2>/dev/null | sed -nE "s/^(# |ℹ )$$1 ([0-9]+)$$/\2/p" | awk '{s+=$$1} END {print s+0}'; }; \
	pass=$$(sum pass); fail=$$(sum fail); skip=$$(sum skipped); cancel=$$(sum cancelled); \
	[ $$((fail + cancel)) -eq 0 ] || rc=1; \
	[ $$((pass + fail + skip)) -gt 0 ] || { echo "make test: no test ran"; rc=1; }; \
	echo; echo "tests: $$pass passed, $$((fail + cancel)) failed, $$skip skipped"; \
	exit $$rc

# Symlinks, so a rebuild is picked up without reinstalling.
install: build
	@for bin in containerd-shim-tsshim-v2 tsrun; do \
	  [ -e shim-bin/$$bin ] || { echo "install: shim-bin/$$bin does not exist yet" >&2; exit 1; }; \
	  ln -sfn "$(CURDIR)/shim-bin/$$bin" "$(PREFIX)/bin/$$bin"; \
	  echo "$(PREFIX)/bin/$$bin -> $(CURDIR)/shim-bin/$$bin"; \
	done

bench: build
	@scripts/bench.sh
	@SHARED=1 scripts/bench.sh

# Stops every private containerd this checkout started, then removes build output.
clean:
	@for d in .work/containerd .work/containerd/*/; do \
	  [ -f "$$d/config.toml" ] || continue; \
	  name="$$(basename "$$d")"; [ "$$d" = .work/containerd ] && name=""; \
	  TSSHIM_CTD_NAME="$$name" scripts/containerd.sh down || exit 1; \
	done
	rm -rf --one-file-system dist .work
