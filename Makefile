# jxform — convenience targets over CMake.  Quick start (fresh Debian 12):
#   make demo   installs what is missing, builds, renders samples/ to out/
#   make test   installs what is missing, builds, runs every test
BUILD ?= build
JOBS ?= 2
JXFORM = $(BUILD)/jxform

.PHONY: all deps build demo test asan leakcheck format clean

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
	@echo "jxform: wrote $$(ls out/*.pdf | wc -l) PDFs to out/"

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# The whole suite under AddressSanitizer + UBSan.
asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DJXFORM_SANITIZE=ON
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp ctest --test-dir build-asan --output-on-failure -j$(JOBS)

# valgrind on the end-to-end render of the six samples.
leakcheck: build
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  $(JXFORM) render samples/*.yaml -o $(BUILD)/leakcheck.pdf

format:
	clang-format -i src/*.c src/*.h include/jxform/*.h tests/unit/*.c

clean:
	rm -rf $(BUILD) build-asan out
