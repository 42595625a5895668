# Folio — make demo | make test | make bench | make install
# Both demo and test first install the Debian packages Folio needs when they are missing
# (as root; otherwise they stop with the apt-get line to run).

SWIFT    ?= swift
# Recipes run in bash: a build piped through $(QUIET) fails the make when the build fails
# (`pipefail`), instead of going on with the binary an earlier build left.
SHELL    := /bin/bash
PREFIX   ?= /usr/local
OUT      ?= out
# What only the tests need: a real headless browser for the live preview's tests (Selenium from PyPI drives it).
TEST_DEBS := chromium chromium-driver
DEBS     := pkg-config libpango1.0-dev libharfbuzz-dev libcairo2-dev libcmark-dev libturbojpeg0-dev zlib1g-dev libhyphen-dev hyphen-en-us libicu-dev libzint-dev zbar-tools libpoppler-glib-dev librsvg2-dev libxml2-dev libqpdf-dev libgdk-pixbuf-2.0-dev webp-pixbuf-loader libtiff-dev libdeflate-dev liblcms2-dev libjemalloc-dev pandoc \
            fonts-noto-cjk fonts-noto-core poppler-utils qpdf ghostscript
FOLIO    := .build/release/folio
# A build's output without SwiftPM's progress lines. (swift-distributed-tracing, a dependency of
# Hummingbird, ships a file its manifest does not declare: SwiftPM's warning about it is not ours to fix.)
QUIET    := grep -Ev "^(\[[0-9]+/[0-9]+\]|Building|Compiling|Write|Fetching|Computing|Creating|Working copy)|'swift-distributed-tracing': found 1 file|/swift-distributed-tracing/Sources/[A-Za-z]+/CMakeLists.txt$$" || true
# pkg-config files without `-pthread` first (scripts/pkgconfig.sh says why): a build without warnings.
export PKG_CONFIG_PATH := $(CURDIR)/.build/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))

.PHONY: all deps build portable man demo test bench bench-archive fuzz asan install uninstall clean

all: build

deps:
	@./scripts/deps.sh $(DEBS)
	@./scripts/pkgconfig.sh $(CURDIR)/.build/pkgconfig

build: deps
	@set -o pipefail; $(SWIFT) build -c release --product folio 2>&1 | { $(QUIET); } || { echo "make: the build failed" >&2; exit 1; }
	@test -x $(FOLIO) || { echo "make: the build failed; run '$(SWIFT) build -c release' to see why" >&2; exit 1; }

# The portable binary: Swift's standard library and Foundation linked in (--static-swift-stdlib),
# so it runs without the Swift toolchain — what `make install` installs and deploy/Containerfile copies.
PORTABLE := .build-portable/release/folio
portable: deps
	@set -o pipefail; $(SWIFT) build -c release --static-swift-stdlib --product folio --scratch-path .build-portable 2>&1 | { $(QUIET); } \
		|| { echo "make: the portable build failed" >&2; exit 1; }
	@test -x $(PORTABLE) || { echo "make: the portable build failed" >&2; exit 1; }

# The manual page, from the command's own help (swift-argument-parser's generate-manual).
man: build
	@$(SWIFT) build -c release --product generate-manual 2>&1 | grep -E 'error' || true
	@mkdir -p .build/man
	.build/release/generate-manual $(FOLIO) --date $$(git log -1 --format=%cs 2>/dev/null || date +%F) -o .build/man
	@sed -i 's/^$$/.Pp/' .build/man/folio.1   # blank lines in the help's paragraphs: mdoc wants .Pp

demo: build
	@mkdir -p $(OUT)
	$(FOLIO) render examples/sample-issue/issue.yaml -o $(OUT)/sample-issue.pdf
	$(FOLIO) preview examples/sample-issue/issue.yaml --article caoyuan-xuexiao --page 2 -o $(OUT)/page.png
	$(FOLIO) batch examples/archive -o $(OUT)/archive
	@for e in ug kk ko mn; do $(FOLIO) render examples/editions/$$e/issue.yaml -o $(OUT)/edition-$$e.pdf || exit 1; done
	$(FOLIO) render examples/editions/zh-vertical/zh-vertical.md -o $(OUT)/vertical-chinese.pdf
	$(FOLIO) render examples/budget-issue/issue.yaml -o $(OUT)/budget-issue.pdf --fit-report
	$(FOLIO) render examples/formats/formats.md -o $(OUT)/image-formats.pdf
	$(FOLIO) render examples/formats/formats.md --print -o $(OUT)/image-formats-print.pdf
	$(FOLIO) render examples/sample-issue/issue.yaml --pdfx 4 --marks -o $(OUT)/sample-issue-press.pdf
	pandoc examples/formats/word-source.md -o $(OUT)/word-article.docx
	$(FOLIO) render $(OUT)/word-article.docx -o $(OUT)/word-article.pdf
	@echo "Open $(OUT)/sample-issue.pdf, $(OUT)/budget-issue.pdf, $(OUT)/page.png, $(OUT)/archive/, $(OUT)/edition-{ug,kk,ko,mn}.pdf, $(OUT)/vertical-chinese.pdf, $(OUT)/image-formats.pdf (and its CMYK print variant), $(OUT)/sample-issue-press.pdf (PDF/X-4) and $(OUT)/word-article.pdf"

test: deps
	@./scripts/deps.sh $(TEST_DEBS)
	@python3 -c 'import fitz' 2>/dev/null || python3 -m pip install -q pymupdf 2>/dev/null || python3 -m pip install -q --break-system-packages pymupdf
	@python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium 2>/dev/null || python3 -m pip install -q --break-system-packages selenium
	@python3 -c 'import pikepdf' 2>/dev/null || python3 -m pip install -q pikepdf 2>/dev/null || python3 -m pip install -q --break-system-packages pikepdf
	@python3 -c 'import pdfminer' 2>/dev/null || python3 -m pip install -q pdfminer.six 2>/dev/null || python3 -m pip install -q --break-system-packages pdfminer.six
	$(SWIFT) build --build-tests 2>&1 | grep -E 'error:|warning: unre' || true
	@$(SWIFT) build --product generate-manual 2>&1 | grep -E 'error' || true
	$(SWIFT) test --skip-build

bench: portable
	@python3 -c 'import fitz' 2>/dev/null || python3 -m pip install -q pymupdf 2>/dev/null || python3 -m pip install -q --break-system-packages pymupdf
	@python3 -c 'import typst' 2>/dev/null || python3 -m pip install -q typst 2>/dev/null || python3 -m pip install -q --break-system-packages typst
	@python3 -c 'import PIL' 2>/dev/null || python3 -m pip install -q pillow 2>/dev/null || python3 -m pip install -q --break-system-packages pillow
	@python3 scripts/bench.py

bench-archive: portable
	@python3 scripts/bench_archive.py 1000

# libFuzzer on the readers for FUZZ_SECONDS (default 120); crashes go to Fuzz/regressions/.
fuzz: deps
	@scripts/fuzz.sh

# The whole test suite under AddressSanitizer (separate build folder).
asan: deps
	@python3 -c 'import fitz' 2>/dev/null || python3 -m pip install -q pymupdf 2>/dev/null || python3 -m pip install -q --break-system-packages pymupdf
	FOLIO_SYSTEM_MALLOC=1 $(SWIFT) build --build-tests --scratch-path .build-asan -Xswiftc -sanitize=address 2>&1 | grep -E 'error' || true
	@FOLIO_SYSTEM_MALLOC=1 $(SWIFT) build --product generate-manual --scratch-path .build-asan 2>&1 | grep -E 'error' || true
	FOLIO_SYSTEM_MALLOC=1 LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp:print_suppressions=0 $(SWIFT) test --skip-build --scratch-path .build-asan

install: portable man
	install -d $(PREFIX)/bin $(PREFIX)/share/folio $(PREFIX)/share/bash-completion/completions $(PREFIX)/share/zsh/site-functions $(PREFIX)/share/man/man1
	install -m 644 .build/man/folio.1 $(PREFIX)/share/man/man1/folio.1
	install -m 755 $(PORTABLE) $(PREFIX)/bin/folio
	cp -r fonts layouts $(PREFIX)/share/folio/
	$(FOLIO) --generate-completion-script bash > $(PREFIX)/share/bash-completion/completions/folio
	$(FOLIO) --generate-completion-script zsh > $(PREFIX)/share/zsh/site-functions/_folio

uninstall:
	rm -f $(PREFIX)/bin/folio $(PREFIX)/share/man/man1/folio.1 $(PREFIX)/share/bash-completion/completions/folio $(PREFIX)/share/zsh/site-functions/_folio
	rm -rf $(PREFIX)/share/folio

clean:
	rm -rf .build .build-portable $(OUT)
