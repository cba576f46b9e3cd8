# Severn: the two commands of the quick start are `make demo` and `make test`.
# Both run scripts/setup first, so they work on a fresh Debian machine as root.

JOBS      ?= $(shell nproc)
BUILD     ?= build/release
ASAN      ?= build/asan
FUZZ      ?= build/fuzz
# libFuzzer (docs/fuzzing.md): seconds per harness under `make test` and `make fuzz`, and which.
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= csv_source sev_check stats_table manifest http_request fhir_export
DEMO_OUT  ?= out/stw
DEMO_STORE ?= out/store
DEMO_MEASURES ?= out/ics_core_measures
DEMO_INEQUALITIES ?= out/ics_inequalities
DEMO_REPORT ?= out/report
DEMO_ELECTIVE ?= out/elective
DEMO_SERVE ?= out/serve
SERVE_PORT ?= 8443
# A random key made once per checkout for the demo; real deployments keep theirs in a secrets store.
DEMO_KEY  ?= out/pseudonym.key
SEVERN    := $(BUILD)/severn

.PHONY: setup build build-asan build-fuzz demo serve test test-release test-asan test-fuzz fuzz clean

setup:
	@scripts/setup

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: setup
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DSEVERN_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)

# The libFuzzer harnesses of tests/fuzz, built with clang against the project's libraries (every
# library compiled with -fsanitize=fuzzer-no-link,address,undefined).
build-fuzz: setup
	@command -v clang >/dev/null && command -v clang++ >/dev/null || \
	  { echo "build-fuzz: clang and clang++ not found; the fuzz harnesses need clang 14 and its libFuzzer (run scripts/setup as root; docs/fuzzing.md)" >&2; exit 1; }
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ) -DSEVERN_FUZZ=ON -DSEVERN_TESTS=OFF \
	  -DSEVERN_FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) >/dev/null
	@cmake --build $(FUZZ) --target fuzzers -j $(JOBS)

# The main job on the built-in synthetic ICS. At this stage: generate the full default synthetic
# STW population (partner extracts, ground truth, calibration report), then ingest it: validate,
# quarantine, link, pseudonymise and build the columnar store, and print what the store holds;
# then evaluate the 38 core ICS measures (monthly, 5 breakdowns) over it, and the inequality
# statistics (rates, standardised rates, SII and RII, funnel limits) of definitions/ics_inequalities.sev;
# last, the ICS report: every built-in library definition, disclosure-controlled, in out/report/index.html.
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
	$(SEVERN) run definitions/ics_core_measures.sev --store $(DEMO_STORE) --out $(DEMO_MEASURES)
	@echo
	@echo "ICS core measures, March 2025, whole population (counts rounded to 5 by disclosure control; all $$(($$(wc -l < $(DEMO_MEASURES)/measures.csv) - 1)) rows: $(DEMO_MEASURES)/measures.csv):"
	@awk -F, '$$2 == "2025-03-01" && $$4 == "all" { if ($$8 == "[c]") printf "  %-40s %9s / %-9s %8s\n", $$1, $$6, $$7, "withheld"; else printf "  %-40s %9d / %-9d %7.2f%%\n", $$1, $$6, $$7, 100 * $$8 }' $(DEMO_MEASURES)/measures.csv
	@echo
	$(SEVERN) run definitions/ics_inequalities.sev --store $(DEMO_STORE) --out $(DEMO_INEQUALITIES)
	@echo
	@echo "Inequality across IMD deciles, 2024-25 (slope index: least minus most deprived; $(DEMO_INEQUALITIES)/inequality.csv):"
	@awk -F, 'NR > 1 && $$5 == "sii" { if ($$6 == "[c]") printf "  %-32s SII withheld (a decile is withheld by disclosure control)\n", $$1; else printf "  %-32s SII %12.3f (95%% CI %.3f to %.3f) %s\n", $$1, $$6, $$7, $$8, $$9 }' $(DEMO_INEQUALITIES)/inequality.csv
	@echo
	$(SEVERN) report --store $(DEMO_STORE) --out $(DEMO_REPORT) \
	  --note "Synthetic data: Severn's synthetic STW population (severn synth), not real patients. Do not compare these figures with published ones."
	@echo
	$(SEVERN) elective simulate --store $(DEMO_STORE) --out $(DEMO_ELECTIVE) --runs 200 --no-backtest
	@echo
	@# The STW elective headline: the report's snapshot (the same files as `severn elective snapshot`, through
	@# the same disclosure control) and the capacity uplift the simulation finds reaching 92% by March 2029.
	@awk -F, 'NR > 1 && $$2 == "all" && $$3 == "all" && $$1 >= d { d = $$1; n = $$4; w = $$5; o = $$6 } \
	  END { if (d == "") { print "Waiting list: none in the store"; exit } \
	        share = (n == "[c]" || w == "[c]" || n == 0) ? "withheld" : sprintf("%.1f%%", 100 * w / n); \
	        printf "Waiting list at %s: %s incomplete pathways, %s within 18 weeks (standard 92%%), over 52 weeks: %s", \
	          d, (n == "[c]" ? "withheld" : n), share, (o == "[c]" ? "withheld" : o) }' $(DEMO_REPORT)/data/elective/snapshot.csv
	@awk -F, 'NR > 1 && $$2 == "all" { if ($$6 == "yes") printf "; +%.0f%% capacity reaches 92%% by %s in the simulation\n", 100 * $$7, substr($$4, 1, 7); \
	  else printf "; capacity +%s (the most searched) does not reach 92%% by %s in the simulation\n", substr($$7, 2) * 100 "%", substr($$4, 1, 7); found = 1 } \
	  END { if (!found) print "" }' $(DEMO_ELECTIVE)/uplift_to_92.csv
	@echo
	@# The dashboard: a fresh self-signed certificate and demo users each run (demo data only).
	@rm -rf $(DEMO_SERVE)
	$(SEVERN) serve init --dir $(DEMO_SERVE) --store $(DEMO_STORE) --port $(SERVE_PORT)
	@echo "  dashboard: 'make serve', then https://localhost:$(SERVE_PORT)/ (the certificate is self-signed: accept it once); docs/serve.md"
	@echo
	@echo "demo: partner extracts in $(DEMO_OUT)/ (docs/data-model.md); store in $(DEMO_STORE)/ (docs/store.md);"
	@echo "      measures in $(DEMO_MEASURES)/ (definitions/ics_core_measures.sev, docs/language.md);"
	@echo "      inequality statistics in $(DEMO_INEQUALITIES)/ (docs/methods.md); all aggregates disclosure-controlled (docs/disclosure.md)"
	@echo "      the ICS report: $(DEMO_REPORT)/index.html (open it in a browser; docs/report.md), its data in $(DEMO_REPORT)/data/"
	@echo "      the waiting list's snapshot in $(DEMO_REPORT)/data/elective/, its simulation in $(DEMO_ELECTIVE)/ (docs/elective/simulation.md)"

# The dashboard and API over the demo's store (make demo first: it makes the config, certificate
# and users). The first start builds the served report (about a minute on the full ICS).
serve: build
	@test -f $(DEMO_SERVE)/serve.toml || { echo "serve: no $(DEMO_SERVE)/serve.toml: run 'make demo' first" >&2; exit 1; }
	$(SEVERN) serve --store $(DEMO_STORE) --config $(DEMO_SERVE)/serve.toml

test: test-release test-asan test-fuzz

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# AddressSanitizer + UndefinedBehaviorSanitizer build of the same tests.
test-asan: build-asan
	@cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# Each harness fuzzes for FUZZ_SMOKE_SECONDS from its committed seed corpus; a crash fails the test.
test-fuzz: build-fuzz
	@cd $(FUZZ) && ctest --output-on-failure -j $(JOBS)

# Long fuzzing: FUZZ_SECONDS per harness, one after another (`make fuzz-TARGET` runs one).
# The corpus grows in $(FUZZ)/corpus/TARGET; crashes go to $(FUZZ)/artifacts/TARGET/.
fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))
	@failed=""; for t in $(FUZZ_TARGETS); do \
	  if [ "$$(cat $(FUZZ)/fuzz-$$t.status)" != 0 ] || [ -n "$$(ls -A $(FUZZ)/artifacts/$$t)" ]; then failed="$$failed $$t"; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: found problems in:$$failed (docs/fuzzing.md: reproducing a crash)"; exit 1; fi

# One harness; never stops `make fuzz` before the others have run.
fuzz-%: build-fuzz
	@tests/fuzz/run_fuzzer.sh long $* $(FUZZ)/fuzz_$* $(FUZZ_SECONDS) $(abspath $(FUZZ)) > $(FUZZ)/fuzz-$*.log 2>&1; \
	  echo $$? > $(FUZZ)/fuzz-$*.status; \
	  echo "fuzz $*: exit $$(cat $(FUZZ)/fuzz-$*.status), $$(ls $(FUZZ)/artifacts/$* | wc -l) input(s) in $(FUZZ)/artifacts/$*/ (log: $(FUZZ)/fuzz-$*.log)"

clean:
	rm -rf build
