# Severn: the two commands of the quick start are `make demo` and `make test`.
# Both run scripts/setup first, so they work on a fresh Debian machine as root.

JOBS      ?= $(shell nproc)
BUILD     ?= build/release
ASAN      ?= build/asan
DEMO_OUT  ?= out/stw
DEMO_STORE ?= out/store
# A random key made once per checkout for the demo; real deployments keep theirs in a secrets store.
DEMO_KEY  ?= out/pseudonym.key
SEVERN    := $(BUILD)/severn

.PHONY: setup build build-asan demo test test-release test-asan clean

setup:
	@scripts/setup

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: setup
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DSEVERN_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)

# The main job on the built-in synthetic ICS. At this stage: generate the full default synthetic
# STW population (partner extracts, ground truth, calibration report), then ingest it: validate,
# quarantine, link, pseudonymise and build the columnar store, and print what the store holds.
demo: build
	@mkdir -p $(dir $(DEMO_OUT))
	$(SEVERN) synth --out $(DEMO_OUT) --overwrite
	@echo
	@cat $(DEMO_OUT)/calibration.md
	@echo
	@test -s $(DEMO_KEY) || (umask 077 && head -c 32 /dev/urandom > $(DEMO_KEY))
	$(SEVERN) ingest $(DEMO_OUT) --store $(DEMO_STORE) --key-file $(DEMO_KEY)
	@echo
	$(SEVERN) info --store $(DEMO_STORE)
	@echo
	@echo "demo: partner extracts in $(DEMO_OUT)/ (docs/data-model.md); store in $(DEMO_STORE)/ (docs/store.md)"

test: test-release test-asan

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# AddressSanitizer + UndefinedBehaviorSanitizer build of the same tests.
test-asan: build-asan
	@cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf build
