# Severn: the two commands of the quick start are `make demo` and `make test`.
# Both run scripts/setup first, so they work on a fresh Debian machine as root.

JOBS      ?= $(shell nproc)
BUILD     ?= build/release
ASAN      ?= build/asan
DEMO_OUT  ?= out/stw
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
# STW population (partner extracts, ground truth and calibration report).
demo: build
	@mkdir -p $(dir $(DEMO_OUT))
	$(SEVERN) synth --out $(DEMO_OUT) --overwrite
	@echo
	@cat $(DEMO_OUT)/calibration.md
	@echo
	@echo "demo: partner extracts are in $(DEMO_OUT)/ (schemas: docs/data-model.md)"

test: test-release test-asan

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# AddressSanitizer + UndefinedBehaviorSanitizer build of the same tests.
test-asan: build-asan
	@cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf build
