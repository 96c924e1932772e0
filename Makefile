# The two commands of the README: `make demo` and `make test`. Both run scripts/setup (which
# installs Debian packages only when something is missing), configure once, and rebuild
# incrementally in build/.
#
#   make demo               build (Release) and serve a demo centre; prints URL and tokens
#   make test               build (Release) and run every test (unit + integration)
#   make test SANITIZE=1    the same under ASan+UBSan (Debug build in build/asan)
#   make bench              build and run the benchmarks
#   make build              just build

SANITIZE ?= 0
JOBS ?= $(shell nproc)
DEMO_LISTEN ?= 127.0.0.1:8080

ifeq ($(SANITIZE),1)
  BUILD_DIR := build/asan
  CMAKE_ARGS := -DCMAKE_BUILD_TYPE=Debug -DMARKAZ_SANITIZE=ON
else
  BUILD_DIR := build/release
  CMAKE_ARGS := -DCMAKE_BUILD_TYPE=Release
endif

.PHONY: setup configure build test demo bench clean

setup:
	@bash scripts/setup

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_ARGS)

configure: setup $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 300

demo: build
	$(BUILD_DIR)/src/markaz demo --charter examples/charter.toml --listen $(DEMO_LISTEN)

bench: build
	@for b in $(BUILD_DIR)/bench/*_bench; do echo "== $$b"; $$b; done

clean:
	rm -rf build
