# bidcmp - one Makefile, no generator.  `make` builds libbidcmp.a and the
# bidcmp command; `make check` runs every test in a normal, an ASan+UBSan
# and a ThreadSanitizer build; `make demo` runs a whole round on fixtures/demo/.

CC       ?= cc
PKGS     := sqlite3 libxml-2.0 libpcre2-8 libcrypto cbc
DEBS     := libsqlite3-dev libxml2-dev libpcre2-dev libssl-dev libcmocka-dev pkg-config sqlite3 \
            coinor-libcbc-dev coinor-cbc
BUILD    ?= build
OPT      ?= -O2
SAN      ?=
WERROR   := $(if $(filter true,$(CI)),-Werror,)

# pkg-config only once the packages exist (the deps target installs them).
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS   += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic \
            -Wshadow -Wno-unused-parameter $(WERROR) $(OPT) -g $(SAN) -Iinclude $(PKG_CFLAGS) -MMD -MP \
            -DBID_HAVE_CBC
LDLIBS   += $(PKG_LIBS) -lm
LDFLAGS  += $(SAN)

LIB_SRC  := $(sort $(wildcard engine/*.c importers/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all build-all run-tests deps test check fuzz fuzz-targets fuzz-smoke demo bench layers clean

# Targets that compile first install what is missing, then re-enter make so
# that pkg-config sees the new packages.
all: deps
	@$(MAKE) --no-print-directory build-all

build-all: $(BUILD)/libbidcmp.a $(BUILD)/bidcmp bidcmp

# Install missing Debian packages when root; otherwise say exactly what to run.
deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null || exit 1; \
	    echo "installed. re-run make if it stops here."; \
	  else \
	    echo "missing Debian packages; run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(BUILD)/libbidcmp.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BUILD)/bidcmp: $(CLI_OBJ) $(BUILD)/libbidcmp.a
	@$(if $(V),,echo "LINK $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libbidcmp.a $(LDLIBS)

# The command at the top, for the README's tour.
bidcmp: $(BUILD)/bidcmp
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/bidcmp bidcmp; fi

# Quiet by default (Redis style); V=1 shows the commands.
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "CC $<")
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libbidcmp.a
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "TEST $@")
	$(Q)$(CC) $(CFLAGS) -Iengine -Iimporters -o $@ $< $(BUILD)/libbidcmp.a $(LDLIBS) -lcmocka

# Unit and CLI tests of one build; writes $(BUILD)/summary (passed failed).
test: deps
	@$(MAKE) --no-print-directory run-tests

run-tests: $(BUILD)/bidcmp $(UNIT_BIN)
	@sh tests/run.sh $(BUILD)

# The whole suite twice: plain, then AddressSanitizer + UBSan.
# Both runs always happen; the summary line decides the exit status.
check: deps
	@$(MAKE) --no-print-directory layers
	@rm -f build/summary build-asan/summary build-tsan/summary build-fuzz/summary
	-@$(MAKE) --no-print-directory run-tests BUILD=build
	-@$(MAKE) --no-print-directory run-tests BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	-@$(MAKE) --no-print-directory run-tests BUILD=build-tsan OPT=-O1 \
	  SAN="-fsanitize=thread -fno-omit-frame-pointer"
	-@$(MAKE) --no-print-directory fuzz-smoke
	@sh tests/summary.sh build build-asan build-tsan build-fuzz

demo: all
	@sh fixtures/demo/run.sh $(BUILD)/bidcmp

bench: all
	@sh bench/run.sh $(BUILD)

# Layering (DESIGN.md): sqlite3.h only in the store, libxml only in
# importers, importers include no engine header, the CLI only the public API.
layers:
	@bad=0; \
	for f in $$(ls engine/*.c engine/*.h importers/*.c importers/*.h cli/*.c cli/*.h 2>/dev/null); do \
	  case $$f in engine/store_sqlite.c) ;; *) if grep -n '#include *<sqlite3.h>' $$f; then echo "$$f: only engine/store_sqlite.c may include sqlite3.h"; bad=1; fi;; esac; \
	  case $$f in importers/*) ;; *) if grep -n '#include *<libxml/' $$f; then echo "$$f: only importers/ may include libxml2"; bad=1; fi;; esac; \
	  case $$f in engine/milp.c) ;; *) if grep -n -E '#include *<(coin/)?Cbc' $$f; then echo "$$f: only engine/milp.c may include the solver"; bad=1; fi;; esac; \
	  case $$f in importers/*) if grep -n -E '#include *"(\.\./)?engine/|#include *"(store|internal|normalise|award_solve)\.h"' $$f; then echo "$$f: importers may not include engine headers"; bad=1; fi;; esac; \
	  case $$f in cli/*) if grep -n -E '#include *"' $$f | grep -v -E '"(cli|cmd)[a-z_]*\.h"'; then echo "$$f: the CLI may include only <bidcmp/...> and its own headers"; bad=1; fi;; esac; \
	done; \
	if [ $$bad = 0 ]; then echo "layers: ok"; else exit 1; fi

# libFuzzer targets (clang), one per importer and one for rules files.
# The library is built once with coverage instrumentation (build-fuzz/),
# then each target links against it.  `make fuzz-smoke` runs each briefly
# (FUZZ_SECONDS, default 20) from the fixtures; make check does that too.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all

fuzz: deps
	@$(MAKE) --no-print-directory build-fuzz/libbidcmp.a BUILD=build-fuzz CC=clang WERROR= OPT=-O1 \
	  SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)"
	@$(MAKE) --no-print-directory fuzz-targets

fuzz-targets: $(FUZZ_BIN)

build-fuzz/%: tests/fuzz/%.c build-fuzz/libbidcmp.a
	@echo "FUZZ $@"
	$(Q)clang -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) -Iinclude -Iengine -Iimporters $(PKG_CFLAGS) \
	  -o $@ $< build-fuzz/libbidcmp.a $(PKG_LIBS) -lm

fuzz-smoke: fuzz
	@sh tests/fuzz/run.sh build-fuzz $${FUZZ_SECONDS:-20}

clean:
	rm -rf build build-asan build-tsan build-fuzz bidcmp bench/out

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
