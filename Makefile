# jxform — convenience targets over CMake.  Quick start (fresh Debian 12):
#   make demo   installs what is missing, builds, renders samples/ to out/
#   make test   installs what is missing, builds, runs every test
BUILD ?= build
JOBS ?= 2
JXFORM = $(BUILD)/jxform

.PHONY: all deps build demo test asan leakcheck fuzz format clean install package

all: build

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	mkdir -p out
	for f in samples/*.yaml; do \
	  $(JXFORM) render "$$f" -o "out/$$(basename "$${f%.yaml}").pdf" || exit 1; \
	done
	$(JXFORM) render samples/*.yaml -o out/samples.pdf
	mkdir -p out/forms
	for f in samples/forms/*.yaml; do \
	  [ -e "$$f" ] || continue; \
	  $(JXFORM) render "$$f" -o "out/forms/$$(basename "$${f%.yaml}").pdf" || exit 1; \
	done
	mkdir -p out/workbooks
	$(JXFORM) render examples/workbooks/清单-阳泉六个项目.xlsx -o out/workbooks/清单.pdf
	$(JXFORM) render examples/workbooks/填报-道路挖掘修复费.xlsx -o out/workbooks/填报.pdf
	rm -f out/workbooks/填报-空白.xlsx
	$(JXFORM) --lang=zh new --xlsx -o out/workbooks/填报-空白.xlsx
	@echo "jxform: wrote $$(ls out/*.pdf out/forms/*.pdf out/workbooks/*.pdf 2>/dev/null | wc -l) PDFs to out/ (the other templates' samples in out/forms/, workbooks in out/workbooks/ with a blank one to fill in)"

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# Install under PREFIX (relocatable: move the tree anywhere), or make a
# Debian package (build/jxform_VERSION_ARCH.deb).
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

package: build
	cd $(BUILD) && cpack -G DEB

# The whole suite under AddressSanitizer + UBSan (any report fails it).
asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DJXFORM_SANITIZE=ON
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  ctest --test-dir build-asan --output-on-failure -j$(JOBS)

# valgrind on end-to-end runs: the six samples one by one and as one
# packet, a dump, and inputs that fail (syntax, limits, a missing font).
# Any error or definite/indirect leak fails it.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
  --suppressions=$(CURDIR)/tests/valgrind.supp

leakcheck: build
	@command -v valgrind >/dev/null || bash scripts/install-deps.sh
	bash tests/leakcheck.sh "$(VALGRIND)" $(JXFORM) $(CURDIR) $(BUILD)/leakcheck

# libFuzzer targets (clang; installed by install-deps.sh --fuzz), seeded
# from samples/, tests/golden, fuzz/seeds and tests/regress, with the YAML
# dictionary.  FUZZ_SECONDS per target (default 60); corpora are kept in
# build-fuzz/corpus-*.
FUZZ_SECONDS ?= 60
fuzz:
	bash scripts/install-deps.sh --fuzz
	CC=clang cmake -S . -B build-fuzz -DJXFORM_FUZZ=ON -DBUILD_TESTING=OFF \
	  -DJXFORM_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build-fuzz -j$(JOBS)
	bash fuzz/make-seeds.sh build-fuzz/seeds
	bash fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

format:
	clang-format -i src/*.c src/*.h include/jxform/*.h tests/unit/*.c

clean:
	rm -rf $(BUILD) build-asan build-fuzz out
