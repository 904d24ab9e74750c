/*
 * gen.c - deterministic generator of collector-shaped JSON reports for the
 * pytriage benchmark (tests/bench/bench.sh).  Not part of pytriage itself.
 *
 * Writes to stdout one JSON array in the byte format of the Buildkite
 * collector's `pytest --json=PATH` (Python json.dump with ensure_ascii):
 * ", " and ": " separators, ASCII only (non-ASCII as \uXXXX), no trailing
 * newline, record keys in the collector's order
 *   id, scope, name, location, file_name, history, [tags], result,
 *   [failure_reason, failure_expanded]
 * and floats formatted as Python's repr() formats them (5.1e-05, 0.001276).
 *
 * Records look like ../shared/corpus/18_big_suite/report.json: UUID ids,
 * scopes like "tests/unit/test_orders_17.py" or "...py::TestOrders",
 * parametrized names like "test_parse[123]" (some with escapes: \\xe9,
 * \", \u00e9, and a "::" inside a parameter id, split the way the collector
 * splits it), "history" with nested "children" spans a few levels deep
 * (the collector writes flat span lists; nesting is here so that a scanner
 * skipping `history` meets nested junk), ~2% skipped, a few "tags" objects,
 * and failed records with a multi-line failure_reason (\n, \", \\, \t,
 * \u00e9 escapes) and a failure_expanded array.
 *
 * Usage: gen [-v] [-s BYTES] [-n RECORDS] [-f PERMILLE] [-r N] [-b BYTES] [-x SEED]
 *   -s BYTES     target size: records are written until the output reaches
 *                BYTES, so the record that crosses it is the last one
 *                (suffixes k, M, G = 10^3, 10^6, 10^9; default 10M)
 *   -n RECORDS   stop after this many records (whichever of -s/-n comes first)
 *   -f PERMILLE  failure rate in 1/1000 of records (default 50 = 5%)
 *   -r N         use only N distinct node IDs; records cycle over them, the
 *                last record of each decides its outcome (default: every
 *                record has its own node ID)
 *   -b BYTES     each failure_reason is exactly BYTES bytes of JSON string
 *                body (escapes counted as written); default: realistic,
 *                200-2000 bytes, skewed short
 *   -x SEED      PRNG seed (default 1)
 *   -v           print "records=R tests=T failed=F skipped=S bytes=B" to stderr
 * The same options always give the same bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- output */

#define OBUF_SIZE (1u << 22)
static char obuf[OBUF_SIZE];
static size_t olen;
static uint64_t ototal;

static void oflush(void)
{
	if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
		perror("gen: write");
		exit(1);
	}
	olen = 0;
}

static void put(const char *s, size_t n)
{
	if (n == 0)
		return;
	ototal += n;
	while (n > OBUF_SIZE - olen) {
		size_t k = OBUF_SIZE - olen;
		memcpy(obuf + olen, s, k);
		olen += k;
		s += k;
		n -= k;
		oflush();
	}
	memcpy(obuf + olen, s, n);
	olen += n;
}

#define PUTLIT(s) put((s), sizeof(s) - 1)

static void puts_(const char *s) { put(s, strlen(s)); }

/* --------------------------------------------------------- growable text */

struct sb {
	char *p;
	size_t n, cap;
};

static void sb_need(struct sb *b, size_t more)
{
	if (b->n + more <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->n + more)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		fputs("gen: out of memory\n", stderr);
		exit(1);
	}
	b->p = p;
	b->cap = cap;
}

static void sb_add(struct sb *b, const char *s, size_t n)
{
	if (n == 0)
		return;
	sb_need(b, n);
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void sb_str(struct sb *b, const char *s) { sb_add(b, s, strlen(s)); }

static size_t utoa(char *out, uint64_t v)
{
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

static void sb_u(struct sb *b, uint64_t v)
{
	char t[24];
	sb_add(b, t, utoa(t, v));
}

/* Append template t, replacing each "%d" by the next of args (decimal) and
 * each "%x" by the next of args (10 lowercase hex digits).  t is already in
 * JSON-encoded form. */
static void sb_fmt(struct sb *b, const char *t, const uint64_t *args)
{
	static const char hex[] = "0123456789abcdef";
	const char *s = t;
	for (;;) {
		const char *pct = strchr(s, '%');
		if (!pct) {
			sb_str(b, s);
			return;
		}
		sb_add(b, s, (size_t)(pct - s));
		if (pct[1] == 'd') {
			sb_u(b, *args++);
		} else {
			char h[10];
			uint64_t v = *args++;
			for (int i = 9; i >= 0; i--, v >>= 4)
				h[i] = hex[v & 15];
			sb_add(b, h, 10);
		}
		s = pct + 2;
	}
}

/* ------------------------------------------------------------------ PRNG */

static uint64_t rng_state;

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t rnd(void) /* splitmix64 */
{
	rng_state += 0x9e3779b97f4a7c15u;
	return mix64(rng_state);
}

static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }

/* ------------------------------------------------- Python float repr(us/1e6) */

/* Python's repr of us/1e6 for an integer number of microseconds: the shortest
 * round-trip digits are the decimal digits of us (us < 1e15), exponent form
 * when the decimal point position is <= -4 or > 16, as in float_repr_style
 * 'short'. */
static void put_secs(uint64_t us)
{
	char d[24], out[48];
	size_t nd, o = 0;
	int decpt;
	if (us == 0) {
		PUTLIT("0.0");
		return;
	}
	nd = utoa(d, us);
	decpt = (int)nd - 6;
	while (nd > 1 && d[nd - 1] == '0')
		nd--;
	if (decpt <= -4 || decpt > 16) {
		int e = decpt - 1;
		out[o++] = d[0];
		if (nd > 1) {
			out[o++] = '.';
			memcpy(out + o, d + 1, nd - 1);
			o += nd - 1;
		}
		out[o++] = 'e';
		out[o++] = e < 0 ? '-' : '+';
		if (e < 0)
			e = -e;
		if (e < 10)
			out[o++] = '0';
		o += utoa(out + o, (uint64_t)e);
	} else if (decpt <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (int i = 0; i < -decpt; i++)
			out[o++] = '0';
		memcpy(out + o, d, nd);
		o += nd;
	} else if ((size_t)decpt < nd) {
		memcpy(out + o, d, (size_t)decpt);
		o += (size_t)decpt;
		out[o++] = '.';
		memcpy(out + o, d + decpt, nd - (size_t)decpt);
		o += nd - (size_t)decpt;
	} else {
		memcpy(out + o, d, nd);
		o += nd;
		for (size_t i = nd; i < (size_t)decpt; i++)
			out[o++] = '0';
		out[o++] = '.';
		out[o++] = '0';
	}
	put(out, o);
}

/* ------------------------------------------------------------- node IDs */

static const char *const dirs[] = {
	"tests", "tests/unit", "tests/unit/models", "tests/integration",
	"tests/integration/api", "tests/functional", "src/shop/tests",
	"tests/e2e/checkout",
};
static const char *const words[] = {
	"orders", "parse", "checkout", "users", "auth", "cache", "invoice",
	"render", "number", "search", "export", "session", "billing", "queue",
	"scheduler", "payments", "catalog", "upload", "config", "roundtrip",
};
static const char *const classes[] = {
	"TestOrders", "TestParser", "TestCheckout", "TestUserApi", "TestCache",
	"TestInvoice", "TestRender", "TestBig",
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t seed;

struct node {
	struct sb scope, name, path;
	uint64_t line;
};

/* Node ID number j -> scope, name (JSON-encoded bodies), file path, line.
 * A pure function of (seed, j); distinct j give distinct node IDs: the module
 * number m is in the path and t = j % 128 is in every name. */
static void node_of(uint64_t j, struct node *nd)
{
	uint64_t m = j >> 7, t = j & 127, f = t >> 4;
	uint64_t hm = mix64(seed * 0x9e3779b97f4a7c15u ^ (m + 1));
	uint64_t hf = mix64(hm ^ (f + 0x51));
	const char *w = words[hm % NELEM(words)];
	const char *fw = words[(hf >> 8) % NELEM(words)];

	nd->scope.n = nd->name.n = nd->path.n = 0;
	sb_str(&nd->path, dirs[(hm >> 16) % NELEM(dirs)]);
	sb_str(&nd->path, "/test_");
	sb_str(&nd->path, w);
	sb_add(&nd->path, "_", 1);
	sb_u(&nd->path, m);
	sb_add(&nd->path, ".py", 3);
	nd->line = 3 + f * 23 + (hf >> 40) % 7;

	sb_add(&nd->scope, nd->path.p, nd->path.n);
	switch ((hf >> 20) % 6) {
	case 0:
	case 1:
		sb_str(&nd->scope, "::");
		sb_str(&nd->scope, classes[(hf >> 24) % NELEM(classes)]);
		break;
	case 2:
		sb_str(&nd->scope, "::");
		sb_str(&nd->scope, classes[(hf >> 24) % NELEM(classes)]);
		sb_str(&nd->scope, "::TestNested");
		break;
	default:
		break;
	}

	sb_str(&nd->name, "test_");
	sb_str(&nd->name, fw);
	switch ((hf >> 32) % 16) {
	case 0: /* pytest's escaped non-ASCII: the text \xe9 */
		sb_str(&nd->name, "[caf\\\\xe9-");
		sb_u(&nd->name, t);
		sb_add(&nd->name, "]", 1);
		break;
	case 1: /* quotes and a space in the parameter id */
		sb_str(&nd->name, "[say \\\"hi\\\"-");
		sb_u(&nd->name, t);
		sb_add(&nd->name, "]", 1);
		break;
	case 2: /* unescaped non-ASCII (disable_test_id_escaping...) */
		sb_str(&nd->name, "[\\u00e9t\\u00e9-");
		sb_u(&nd->name, t);
		sb_add(&nd->name, "]", 1);
		break;
	case 3: /* "::" inside a parameter id: the collector splits on it */
		sb_str(&nd->scope, "::");
		sb_add(&nd->scope, nd->name.p, nd->name.n);
		sb_str(&nd->scope, "[a");
		nd->name.n = 0;
		sb_str(&nd->name, "b-");
		sb_u(&nd->name, t);
		sb_add(&nd->name, "]", 1);
		break;
	case 4:
	case 5:
		sb_str(&nd->name, "_");
		sb_u(&nd->name, t);
		break;
	case 6:
	case 7:
		sb_str(&nd->name, "[");
		sb_str(&nd->name, words[(hf >> 44) % NELEM(words)]);
		sb_str(&nd->name, "-");
		sb_u(&nd->name, t);
		sb_add(&nd->name, "]", 1);
		break;
	default:
		sb_str(&nd->name, "[");
		sb_u(&nd->name, t + f * 1000);
		sb_add(&nd->name, "]", 1);
		break;
	}
}

/* --------------------------------------------------------------- history */

static const char *const sections[] = { "sql", "http", "sleep", "annotation" };
static const char *const details[] = {
	"SELECT id, total FROM orders WHERE id = %d",
	"SELECT \\\"name\\\" FROM users WHERE email LIKE 'a@example.test' LIMIT %d",
	"GET https://api.example.test/v1/items/%d?expand=price",
	"POST https://api.example.test/v1/orders (%d bytes)",
	"sleep(%d ms)",
	"caf\\u00e9 warm-up %d",
};

static uint64_t clock_us = 50;

static uint64_t dur_us(void)
{
	uint64_t r = rnd();
	switch (r % 16) {
	case 0:
		return 20000 + (r >> 8) % 2000000; /* slow test */
	case 1:
	case 2:
		return 2000 + (r >> 8) % 40000;
	default:
		return 40 + (r >> 8) % 1500;
	}
}

static struct sb scratch;

static void put_spans(uint64_t t0, uint64_t t1, int depth)
{
	uint64_t n = 1 + below(depth ? 2 : 4), span = (t1 - t0) / (n + 1) + 1;
	PUTLIT("[");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t s = t0 + i * span + below(span / 4 + 1);
		uint64_t d = span / 2 + below(span / 4 + 1);
		const char *sec = sections[below(NELEM(sections))];
		if (i)
			PUTLIT(", ");
		PUTLIT("{\"section\": \"");
		puts_(sec);
		PUTLIT("\", \"duration\": ");
		put_secs(d);
		if (sec[1] != 'l') { /* not "sleep": has a detail */
			uint64_t a[2] = { below(100000), 0 };
			scratch.n = 0;
			sb_fmt(&scratch, details[below(NELEM(details))], a);
			PUTLIT(", \"detail\": \"");
			put(scratch.p, scratch.n);
			PUTLIT("\"");
		}
		PUTLIT(", \"start_at\": ");
		put_secs(s);
		PUTLIT(", \"end_at\": ");
		put_secs(s + d);
		if (depth < 3 && below(4) == 0) {
			PUTLIT(", \"children\": ");
			put_spans(s, s + d, depth + 1);
		}
		PUTLIT("}");
	}
	PUTLIT("]");
}

static void put_history(void)
{
	uint64_t start = clock_us, d = dur_us(), end = start + d;
	PUTLIT("{\"section\": \"top\", \"children\": ");
	if (below(8) == 0)
		put_spans(start, end, 0);
	else
		PUTLIT("[]");
	PUTLIT(", \"start_at\": ");
	put_secs(start);
	PUTLIT(", \"end_at\": ");
	put_secs(end);
	PUTLIT(", \"duration\": ");
	put_secs(d - (d > 1 ? below(2) : 0));
	PUTLIT("}");
	clock_us = end + 100 + below(250);
}

/* -------------------------------------------------------- failure texts */

struct excinfo {
	const char *head; /* first line of failure_reason, JSON-encoded */
	const char *exc;  /* exception class for the last expanded line */
};

static const struct excinfo heads[] = {
	{ "AssertionError: assert %d == %d", "AssertionError" },
	{ "AssertionError: assert {'id': %d, 'name': 'caf\\u00e9', 'total': %d} == {'id': %d, 'name': 'cafe', 'total': %d}", "AssertionError" },
	{ "AssertionError: assert \\\"h\\u00e9llo w\\u00f6rld\\\" == \\\"hello world\\\"", "AssertionError" },
	{ "ValueError: invalid literal for int() with base 10: '%d\\\\x00'", "ValueError" },
	{ "KeyError: 'order_%d'", "KeyError" },
	{ "requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: https://api.example.test/v1/orders/%d", "HTTPError" },
	{ "Failed: DID NOT RAISE <class 'ValueError'>", "Failed" },
	{ "TimeoutError: operation timed out after %d ms\\n\\tretries: %d", "TimeoutError" },
};

static const char *const body[] = {
	"  Differing items:",
	"  {'total': %d} != {'total': %d}",
	"  Omitting %d identical items, use -vv to show",
	"  Full diff:",
	"  - {'id': %d, 'name': 'cafe', 'tags': ['a', 'b'], 'total': %d}",
	"  + {'id': %d, 'name': 'caf\\u00e9', 'tags': ['a', 'b', 'c'], 'total': %d}",
	"  ?                        ^^^^^^",
	"  At index %d diff: 'item_%d' != 'item_%d'",
	"  Right contains %d more items, first extra item: \\\"sku-%d\\\"",
	"  log: C:\\\\builds\\\\agent\\\\work\\\\%d\\\\out.log",
	"  \\t<row %d>\\tstatus=%d\\tnote=\\\"r\\u00e9sum\\u00e9\\\"",
	"  ...Full output truncated (%d lines hidden), use '-vv' to show",
};

static const char *const code[] = {
	"order_id = %d",
	"client = <tests.conftest.FakeClient object at 0x7f%x>",
	"expected = {'id': %d, 'name': 'cafe', 'total': %d}",
	"",
	"    @pytest.mark.parametrize(\\\"order_id\\\", range(%d))",
	"    def test_roundtrip(self, client, order_id, expected):",
	"        resp = client.get(f\\\"/v1/orders/{order_id}\\\")",
	"        assert resp.status_code == 200",
	">       assert resp.json() == expected",
};

static struct sb reason, lines; /* lines: offsets of line starts in reason */

static void rnd_args(uint64_t *a)
{
	for (int i = 0; i < 4; i++)
		a[i] = below(i == 1 ? 1000000 : 100000);
}

static void line_start(void)
{
	sb_need(&lines, sizeof(size_t));
	memcpy(lines.p + lines.n, &reason.n, sizeof(size_t));
	lines.n += sizeof(size_t);
}

/* Build failure_reason in `reason`; exact > 0: exactly that many bytes. */
static const struct excinfo *make_reason(int64_t exact)
{
	const struct excinfo *h = &heads[below(NELEM(heads))];
	uint64_t a[4], target;
	size_t lim = exact >= 0 ? (size_t)exact : 0;
	struct sb *one = &scratch;

	if (exact >= 0) {
		target = (uint64_t)exact;
	} else {
		uint64_t u = below(1000); /* 200..2000, mean ~650 */
		target = 200 + u * u * u * 1800 / 1000000000;
	}
	reason.n = lines.n = 0;
	rnd_args(a);
	one->n = 0;
	sb_fmt(one, h->head, a);
	for (int i = 0;; i++) {
		size_t sep = i ? 2 : 0;
		if (reason.n >= target)
			break;
		if (exact >= 0 && reason.n + sep + one->n > lim)
			break;
		if (sep)
			sb_add(&reason, "\\n", 2);
		line_start();
		sb_add(&reason, one->p, one->n);
		rnd_args(a);
		one->n = 0;
		sb_fmt(one, body[below(NELEM(body))], a);
	}
	if (exact >= 0 && reason.n < lim) { /* pad the last line with plain text */
		if (reason.n == 0)
			line_start();
		sb_need(&reason, lim - reason.n);
		memset(reason.p + reason.n, '.', lim - reason.n);
		reason.n = lim;
	}
	return h;
}

static void put_strlist_sep(int *first)
{
	if (!*first)
		PUTLIT(", ");
	*first = 0;
}

static void put_expanded(const struct excinfo *h, const struct node *nd)
{
	uint64_t a[4];
	size_t nl = lines.n / sizeof(size_t);
	int first = 1;
	char num[24];

	PUTLIT("[{\"expanded\": [");
	for (size_t i = 0, n = 3 + below(NELEM(code) - 3); i < n; i++) {
		rnd_args(a);
		scratch.n = 0;
		sb_fmt(&scratch, code[i < 3 ? i : NELEM(code) - n + i], a);
		put_strlist_sep(&first);
		PUTLIT("\"");
		put(scratch.p, scratch.n);
		PUTLIT("\"");
	}
	for (size_t i = 0; i < nl && i < 12; i++) {
		size_t b, e;
		memcpy(&b, lines.p + i * sizeof(size_t), sizeof(size_t));
		if (i + 1 < nl) {
			memcpy(&e, lines.p + (i + 1) * sizeof(size_t), sizeof(size_t));
			e -= 2;
		} else {
			e = reason.n;
		}
		if (e - b > 300)
			continue; /* do not copy huge lines (-b); never split an escape */
		put_strlist_sep(&first);
		PUTLIT("\"E       ");
		put(reason.p + b, e - b);
		PUTLIT("\"");
	}
	PUTLIT(", \"\", \"");
	put(nd->path.p, nd->path.n);
	PUTLIT(":");
	put(num, utoa(num, nd->line + 4));
	PUTLIT(": ");
	puts_(h->exc);
	PUTLIT("\"], \"backtrace\": [\"");
	put(nd->path.p, nd->path.n);
	PUTLIT(":");
	put(num, utoa(num, nd->line + 4));
	PUTLIT(": ");
	puts_(h->exc);
	PUTLIT("\"]}");
	if (below(10) == 0) { /* a chained exception */
		PUTLIT(", {\"expanded\": [\"    def connect(self):\", "
		       "\">       raise ConnectionError(\\\"refused\\\")\", "
		       "\"E       ConnectionError: refused\", \"\", "
		       "\"src/shop/net.py:");
		put(num, utoa(num, 10 + below(400)));
		PUTLIT(": ConnectionError\"], \"backtrace\": [\"src/shop/net.py:");
		put(num, utoa(num, 10 + below(400)));
		PUTLIT(": ConnectionError\"]}");
	}
	PUTLIT("]");
}

/* ---------------------------------------------------------------- main */

static uint64_t parse_num(const char *s, int opt, int suffixes)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	uint64_t mul = 1;
	if (suffixes && *end) {
		switch (*end++) {
		case 'k': case 'K': mul = 1000u; break;
		case 'm': case 'M': mul = 1000000u; break;
		case 'g': case 'G': mul = 1000000000u; break;
		default: end = (char *)"?"; break;
		}
	}
	if (errno || end == s || *end || *s == '-' || v > UINT64_MAX / mul) {
		fprintf(stderr, "gen: -%c: bad number '%s'\n", opt, s);
		exit(2);
	}
	return (uint64_t)v * mul;
}

static void usage(void)
{
	fputs("usage: gen [-v] [-s BYTES] [-n RECORDS] [-f PERMILLE] [-r N] "
	      "[-b BYTES] [-x SEED]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t size = 10000000u, maxrec = UINT64_MAX, fail = 50, repeat = 0;
	int64_t exact = -1;
	int verbose = 0;
	struct node nd = { { 0 }, { 0 }, { 0 }, 0 };
	uint64_t nrec = 0, nfail = 0, nskip = 0;
	unsigned char *final = NULL; /* -r: last outcome per node (0 p, 1 f, 2 s) */
	char num[24];

	seed = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (a[0] != '-' || !a[1] || a[2])
			usage();
		if (a[1] == 'v') {
			verbose = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		v = argv[++i];
		switch (a[1]) {
		case 's': size = parse_num(v, 's', 1); break;
		case 'n': maxrec = parse_num(v, 'n', 1); break;
		case 'f': fail = parse_num(v, 'f', 0); break;
		case 'r': repeat = parse_num(v, 'r', 1); break;
		case 'b': exact = (int64_t)parse_num(v, 'b', 1); break;
		case 'x': seed = parse_num(v, 'x', 0); break;
		default: usage();
		}
	}
	if (fail > 1000) {
		fputs("gen: -f: at most 1000\n", stderr);
		return 2;
	}
	rng_state = mix64(seed ^ 0x243f6a8885a308d3u);
	if (repeat) {
		final = calloc(repeat, 1);
		if (!final) {
			fputs("gen: out of memory\n", stderr);
			return 1;
		}
	}

	PUTLIT("[");
	while (ototal < size && nrec < maxrec) {
		uint64_t j = repeat ? nrec % repeat : nrec, r = rnd(), outcome;
		static const char hex[] = "0123456789abcdef";
		char id[36];

		outcome = r % 1000 < fail ? 1 : (r >> 10) % 50 == 0 ? 2 : 0;
		if (repeat)
			final[j] = (unsigned char)outcome;
		else
			nfail += outcome == 1, nskip += outcome == 2;
		node_of(j, &nd);

		r = rnd();
		uint64_t r2 = rnd();
		for (int k = 0, b = 0; k < 36; k++) {
			if (k == 8 || k == 13 || k == 18 || k == 23) {
				id[k] = '-';
				continue;
			}
			uint64_t nib = (b < 16 ? r >> (4 * b) : r2 >> (4 * (b - 16))) & 15;
			if (k == 14)
				nib = 4;
			else if (k == 19)
				nib = 8 | (nib & 3);
			id[k] = hex[nib];
			b++;
		}

		if (nrec)
			PUTLIT(", ");
		PUTLIT("{\"id\": \"");
		put(id, 36);
		PUTLIT("\", \"scope\": \"");
		put(nd.scope.p, nd.scope.n);
		PUTLIT("\", \"name\": \"");
		put(nd.name.p, nd.name.n);
		if (below(1000) == 0) {
			PUTLIT("\", \"location\": null, \"file_name\": \"");
		} else {
			PUTLIT("\", \"location\": \"");
			put(nd.path.p, nd.path.n);
			PUTLIT(":");
			put(num, utoa(num, nd.line));
			PUTLIT("\", \"file_name\": \"");
		}
		put(nd.path.p, nd.path.n);
		PUTLIT("\", \"history\": ");
		put_history();
		if (below(50) == 0) {
			if (below(2))
				PUTLIT(", \"tags\": {\"team\": \"payments\"}");
			else
				PUTLIT(", \"tags\": {\"execution.flaky\": \"true\", "
				       "\"browser\": \"firefox \\u00e9dition\"}");
		}
		if (outcome == 0) {
			PUTLIT(", \"result\": \"passed\"}");
		} else if (outcome == 2) {
			PUTLIT(", \"result\": \"skipped\"}");
		} else {
			const struct excinfo *h = make_reason(exact);
			PUTLIT(", \"result\": \"failed\", \"failure_reason\": \"");
			put(reason.p, reason.n);
			PUTLIT("\", \"failure_expanded\": ");
			put_expanded(h, &nd);
			PUTLIT("}");
		}
		nrec++;
	}
	PUTLIT("]");
	oflush();
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("gen: write");
		return 1;
	}
	if (verbose) {
		uint64_t tests = nrec;
		if (repeat) {
			tests = nrec < repeat ? nrec : repeat;
			for (uint64_t j = 0; j < tests; j++)
				nfail += final[j] == 1, nskip += final[j] == 2;
		}
		fprintf(stderr, "records=%llu tests=%llu failed=%llu skipped=%llu bytes=%llu\n",
			(unsigned long long)nrec, (unsigned long long)tests,
			(unsigned long long)nfail, (unsigned long long)nskip,
			(unsigned long long)ototal);
	}
	free(final);
	return 0;
}
