/*
 * gen.c - deterministic generator of pytest reports for the pytriage
 * benchmark (tests/bench/bench.sh).  Not part of pytriage itself.
 *
 * By default writes to stdout one JSON array in the byte format of the
 * Buildkite collector's `pytest --json=PATH` (Python json.dump with
 * ensure_ascii): ", " and ": " separators, ASCII only (non-ASCII as
 * \uXXXX), no trailing newline, record keys in the collector's order
 *   id, scope, name, location, file_name, history, [tags], result,
 *   [failure_reason, failure_expanded]
 * and floats formatted as Python's repr() formats them (5.1e-05, 0.001276).
 *
 * Records look like those of a real 20,000-test suite: UUID ids, scopes
 * like "tests/unit/test_orders_17.py" or "...py::TestOrders", parametrized
 * names like "test_parse[123]" (some with escapes: \\xe9, \", \u00e9, and a
 * "::" inside a parameter id, split the way the collector splits it),
 * "history" with nested "children" spans a few levels deep (the collector
 * writes flat span lists; nesting is here so that a scanner skipping
 * `history` meets nested junk), ~2% skipped, a few "tags" objects, and
 * failed records with a multi-line failure_reason (\n, \", \\, \t, \u00e9
 * escapes) and a failure_expanded array.
 *
 * With -l, writes instead the pytest-reportlog 1.0 log of such a session
 * (`pytest --report-log=PATH`, pytest 7.2): one json.dumps object per line,
 * same separators and escapes; SessionStart, the CollectReports, per test
 * its setup/call/teardown TestReports with pytest's keys in pytest's order
 * (nodeid, location, keywords, outcome, longrepr, when, user_properties,
 * sections, duration, [wasxfail]), failures with a longrepr object
 * (reprcrash, reprtraceback, sections, chain; multi-line messages, some
 * chained, some two frames deep), setup errors, teardown errors (some after
 * a failed call), skips at setup and in the call, xfails; SessionFinish.
 * The same node IDs as the report of the same options.  An ordinary
 * session: no reruns, no crashed workers, every node ID once.
 *
 * Usage: gen [-lv] [-s BYTES] [-n RECORDS] [-f PERMILLE] [-r N] [-b BYTES] [-x SEED]
 *   -l           write a pytest-reportlog log (no -r, no -b)
 *   -s BYTES     target size: records (with -l: tests) are written until
 *                the output reaches BYTES, so the one that crosses it is
 *                the last (suffixes k, M, G = 10^3, 10^6, 10^9; default 10M)
 *   -n RECORDS   stop after this many records (with -l: tests), whichever
 *                of -s/-n comes first
 *   -f PERMILLE  failure rate in 1/1000 of records (default 50 = 5%)
 *   -r N         use only N distinct node IDs; records cycle over them, the
 *                last record of each decides its outcome (default: every
 *                record has its own node ID)
 *   -b BYTES     each failure_reason is exactly BYTES bytes of JSON string
 *                body (escapes counted as written); default: realistic,
 *                200-2000 bytes, skewed short
 *   -x SEED      PRNG seed (default 1)
 *   -v           print "records=R tests=T failed=F skipped=S bytes=B" to
 *                stderr (with -l, R counts lines; F counts tests with any
 *                failed phase, S skipped and xfailed ones)
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

static int discard; /* count the bytes, write nothing */

static void put(const char *s, size_t n)
{
	if (n == 0)
		return;
	ototal += n;
	if (discard)
		return;
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

/* ------------------------------------------------------ Python float repr */

/* Write a positive float given by its shortest round-trip decimal digits
 * d[0..nd) (no trailing zeros) and decimal point position decpt (value =
 * 0.d * 10^decpt) the way Python's repr() writes it: exponent form when
 * decpt <= -4 or decpt > 16 (float_repr_style 'short'). */
static void put_digits(const char *d, size_t nd, int decpt)
{
	char out[48];
	size_t o = 0;

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

/* Python's repr of us/1e6 for an integer number of microseconds: the shortest
 * round-trip digits are the decimal digits of us (us < 1e15). */
static void put_secs(uint64_t us)
{
	char d[24];
	size_t nd;
	int decpt;
	if (us == 0) {
		PUTLIT("0.0");
		return;
	}
	nd = utoa(d, us);
	decpt = (int)nd - 6;
	while (nd > 1 && d[nd - 1] == '0')
		nd--;
	put_digits(d, nd, decpt);
}

/* Python's repr of any positive finite double: the fewest significant digits
 * that read back as v (glibc's printf rounds correctly), at most 17. */
static void put_double(double v)
{
	char buf[40], d[24];
	size_t nd = 0;
	int p = 15, e;
	const char *s;

	snprintf(buf, sizeof(buf), "%.*e", p - 1, v);
	if (strtod(buf, NULL) == v) {
		char b2[40];
		while (p > 1) {
			snprintf(b2, sizeof(b2), "%.*e", p - 2, v);
			if (strtod(b2, NULL) != v)
				break;
			memcpy(buf, b2, sizeof(buf));
			p--;
		}
	} else {
		snprintf(buf, sizeof(buf), "%.15e", v);
		if (strtod(buf, NULL) != v)
			snprintf(buf, sizeof(buf), "%.16e", v);
	}
	for (s = buf; *s != 'e'; s++)
		if (*s != '.')
			d[nd++] = *s;
	e = atoi(s + 1);
	while (nd > 1 && d[nd - 1] == '0')
		nd--;
	put_digits(d, nd, e + 1);
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
	struct sb scope, name, path; /* the collector's split of the node ID */
	struct sb item;              /* pytest's item name: function[param id] */
	const char *cls;             /* enclosing class, or NULL */
	int nested;                  /* 1: inside cls::TestNested */
	size_t param;                /* offset of the param id in item, or 0 */
	uint64_t line;               /* 1-based line of the def */
};

static void node_free(struct node *nd)
{
	free(nd->scope.p);
	free(nd->name.p);
	free(nd->path.p);
	free(nd->item.p);
}

/* Node ID number j -> its parts (JSON-encoded bodies): file path, class,
 * item name with its parametrize id, line; and the collector's scope and
 * name, from splitting path::classes::item on its last "::".  A pure
 * function of (seed, j); distinct j give distinct node IDs: the module
 * number m is in the path and t = j % 128 is in every item name. */
static void node_of(uint64_t j, struct node *nd)
{
	uint64_t m = j >> 7, t = j & 127, f = t >> 4;
	uint64_t hm = mix64(seed * 0x9e3779b97f4a7c15u ^ (m + 1));
	uint64_t hf = mix64(hm ^ (f + 0x51));
	const char *w = words[hm % NELEM(words)];
	const char *fw = words[(hf >> 8) % NELEM(words)];
	struct sb *it = &nd->item;
	size_t cut = 0;

	nd->scope.n = nd->name.n = nd->path.n = it->n = 0;
	sb_str(&nd->path, dirs[(hm >> 16) % NELEM(dirs)]);
	sb_str(&nd->path, "/test_");
	sb_str(&nd->path, w);
	sb_add(&nd->path, "_", 1);
	sb_u(&nd->path, m);
	sb_add(&nd->path, ".py", 3);
	nd->line = 3 + f * 23 + (hf >> 40) % 7;

	nd->cls = NULL;
	nd->nested = 0;
	switch ((hf >> 20) % 6) {
	case 0:
	case 1:
		nd->cls = classes[(hf >> 24) % NELEM(classes)];
		break;
	case 2:
		nd->cls = classes[(hf >> 24) % NELEM(classes)];
		nd->nested = 1;
		break;
	default:
		break;
	}

	sb_str(it, "test_");
	sb_str(it, fw);
	nd->param = it->n + 1;
	switch ((hf >> 32) % 16) {
	case 0: /* pytest's escaped non-ASCII: the text \xe9 */
		sb_str(it, "[caf\\\\xe9-");
		break;
	case 1: /* quotes and a space in the parameter id */
		sb_str(it, "[say \\\"hi\\\"-");
		break;
	case 2: /* unescaped non-ASCII (disable_test_id_escaping...) */
		sb_str(it, "[\\u00e9t\\u00e9-");
		break;
	case 3: /* "::" inside a parameter id: the collector splits on it */
		sb_str(it, "[a::b-");
		cut = it->n - 4;
		break;
	case 4:
	case 5:
		nd->param = 0;
		sb_str(it, "_");
		break;
	case 6:
	case 7:
		sb_str(it, "[");
		sb_str(it, words[(hf >> 44) % NELEM(words)]);
		sb_str(it, "-");
		break;
	default:
		sb_str(it, "[");
		t += f * 1000;
		break;
	}
	sb_u(it, t);
	if (nd->param)
		sb_add(it, "]", 1);

	sb_add(&nd->scope, nd->path.p, nd->path.n);
	if (nd->cls) {
		sb_str(&nd->scope, "::");
		sb_str(&nd->scope, nd->cls);
		if (nd->nested)
			sb_str(&nd->scope, "::TestNested");
	}
	if (cut) {
		sb_str(&nd->scope, "::");
		sb_add(&nd->scope, it->p, cut);
		sb_add(&nd->name, it->p + cut + 2, it->n - cut - 2);
	} else {
		sb_add(&nd->name, it->p, it->n);
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

/* Line i of the nl lines of reason: [*b, *e), without the escaped line
 * break ("\n", two bytes) that ends all but the last. */
static void line_span(size_t i, size_t nl, size_t *b, size_t *e)
{
	memcpy(b, lines.p + i * sizeof(size_t), sizeof(size_t));
	if (i + 1 < nl) {
		memcpy(e, lines.p + (i + 1) * sizeof(size_t), sizeof(size_t));
		*e -= 2;
	} else {
		*e = reason.n;
	}
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

/* "PATH:LINE: EXCEPTION", where the test raised. */
static void put_crash_line(const struct excinfo *h, const struct node *nd)
{
	char num[24];

	put(nd->path.p, nd->path.n);
	PUTLIT(":");
	put(num, utoa(num, nd->line + 4));
	PUTLIT(": ");
	puts_(h->exc);
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
		line_span(i, nl, &b, &e);
		if (e - b > 300)
			continue; /* do not copy huge lines (-b); never split an escape */
		put_strlist_sep(&first);
		PUTLIT("\"E       ");
		put(reason.p + b, e - b);
		PUTLIT("\"");
	}
	PUTLIT(", \"\", \"");
	put_crash_line(h, nd);
	PUTLIT("\"], \"backtrace\": [\"");
	put_crash_line(h, nd);
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

/* ------------------------------------------------------ pytest-reportlog */

/* -l: the lines pytest-reportlog 1.0 writes (json.dumps(obj) + "\n") for an
 * ordinary pytest 7.2 session without plugins that rerun or distribute:
 * SessionStart, the CollectReports (session, then per module its classes,
 * inner first, then the module), per test a setup, call and teardown
 * TestReport (setup and teardown only when setup fails or skips), and
 * SessionFinish.  Keys in pytest's order, paths under the rootdir
 * /builds/example, durations as differences of perf_counter() floats. */

static const char root[] = "/builds/example/";
static double pclock; /* perf_counter() of the session, seconds */
static struct sb pre, tb, crash;
static uint64_t nlines; /* lines written */

/* Template t (see sb_fmt) with args a, as a JSON string. */
static void sb_qfmt(struct sb *b, const char *t, const uint64_t *a)
{
	sb_add(b, "\"", 1);
	sb_fmt(b, t, a);
	sb_add(b, "\"", 1);
}

/* The duration of a phase of ns nanoseconds: Python's stop - start. */
static void put_phase_end(uint64_t ns)
{
	double start = pclock, stop = start + (double)ns * 1e-9;
	put_double(stop - start);
	pclock = stop + (double)(15000 + below(60000)) * 1e-9;
}

static void put_collect(const char *a, size_t an, const char *b, const char *c)
{
	PUTLIT("{\"nodeid\": \"");
	put(a, an);
	if (b) {
		PUTLIT("::");
		puts_(b);
	}
	if (c) {
		PUTLIT("::");
		puts_(c);
	}
	PUTLIT("\", \"outcome\": \"passed\", \"longrepr\": null, \"result\": null, "
	       "\"sections\": [], \"$report_type\": \"CollectReport\"}\n");
	nlines++;
}

/* The CollectReports of the classes of j's group that `seen` (one bit per
 * class, one per class::TestNested) does not have yet. */
static void put_collect_classes(const struct node *nd, unsigned *seen)
{
	unsigned k = 0;
	if (!nd->cls)
		return;
	while (classes[k] != nd->cls)
		k++;
	if (nd->nested && !(*seen & (1u << (k + 8)))) {
		*seen |= 1u << (k + 8);
		put_collect(nd->path.p, nd->path.n, nd->cls, "TestNested");
	}
	if (!(*seen & (1u << k))) {
		*seen |= 1u << k;
		put_collect(nd->path.p, nd->path.n, nd->cls, NULL);
	}
}

/* The common start of a test's lines, up to the outcome's value. */
static void make_prefix(const struct node *nd, const char *mark)
{
	pre.n = 0;
	sb_str(&pre, "{\"nodeid\": \"");
	sb_add(&pre, nd->scope.p, nd->scope.n);
	sb_str(&pre, "::");
	sb_add(&pre, nd->name.p, nd->name.n);
	sb_str(&pre, "\", \"location\": [\"");
	sb_add(&pre, nd->path.p, nd->path.n);
	sb_str(&pre, "\", ");
	sb_u(&pre, nd->line - 1);
	sb_str(&pre, ", \"");
	if (nd->cls) {
		sb_str(&pre, nd->cls);
		sb_str(&pre, nd->nested ? ".TestNested." : ".");
	}
	sb_add(&pre, nd->item.p, nd->item.n);
	sb_str(&pre, "\"], \"keywords\": {\"");
	sb_add(&pre, nd->item.p, nd->item.n);
	sb_str(&pre, "\": 1, ");
	if (mark) {
		sb_str(&pre, "\"");
		sb_str(&pre, mark);
		sb_str(&pre, "\": 1, \"pytestmark\": 1, ");
	} else if (nd->param) {
		sb_str(&pre, "\"parametrize\": 1, \"pytestmark\": 1, \"");
		sb_add(&pre, nd->item.p + nd->param, nd->item.n - nd->param - 1);
		sb_str(&pre, "\": 1, ");
	}
	if (nd->nested)
		sb_str(&pre, "\"TestNested\": 1, ");
	if (nd->cls) {
		sb_str(&pre, "\"");
		sb_str(&pre, nd->cls);
		sb_str(&pre, "\": 1, ");
	}
	sb_str(&pre, "\"");
	sb_add(&pre, nd->path.p, nd->path.n);
	sb_str(&pre, "\": 1, \"example\": 1}, \"outcome\": \"");
}

/* One ReprEntry into tb: source lines, then "E       " + each line of
 * `reason` when elines, its arguments and file location. */
static void tb_entry(const char *const *src, size_t nsrc, const uint64_t *a,
		     int elines, const char *args, const char *path, size_t pathn,
		     uint64_t lineno, const char *exc)
{
	size_t nl = lines.n / sizeof(size_t);
	sb_str(&tb, "{\"type\": \"ReprEntry\", \"data\": {\"lines\": [");
	for (size_t i = 0; i < nsrc; i++) {
		if (i)
			sb_str(&tb, ", ");
		sb_qfmt(&tb, src[i], a);
	}
	for (size_t i = 0; elines && i < nl; i++) {
		size_t b, e;
		line_span(i, nl, &b, &e);
		sb_str(&tb, ", \"E       ");
		sb_add(&tb, reason.p + b, e - b);
		sb_str(&tb, "\"");
	}
	sb_str(&tb, "], \"reprfuncargs\": {\"args\": [");
	sb_str(&tb, args);
	sb_str(&tb, "]}, \"reprlocals\": null, \"reprfileloc\": {\"path\": \"");
	sb_add(&tb, path, pathn);
	sb_str(&tb, "\", \"lineno\": ");
	sb_u(&tb, lineno);
	sb_str(&tb, ", \"message\": \"");
	sb_str(&tb, exc);
	sb_str(&tb, "\"}, \"style\": \"long\"}}");
}

static void crash_of(const char *path, size_t pathn, uint64_t lineno)
{
	crash.n = 0;
	sb_str(&crash, "{\"path\": \"");
	sb_str(&crash, root);
	sb_add(&crash, path, pathn);
	sb_str(&crash, "\", \"lineno\": ");
	sb_u(&crash, lineno);
	sb_str(&crash, ", \"message\": \"");
	sb_add(&crash, reason.p, reason.n);
	sb_str(&crash, "\"}");
}

static const char *const test_src[] = {
	"    @pytest.mark.parametrize(\\\"order_id\\\", range(%d))",
	"    def test_roundtrip(self, client, order_id, expected):",
	"        resp = client.get(f\\\"/v1/orders/{order_id}\\\")",
	"        assert resp.status_code == 200",
	">       assert resp.json() == expected",
};
static const char *const caller_src[] = {
	"    def test_checkout(client, order_id):",
	"        cart = client.cart(order_id)",
	">       check_order(client, cart, total=%d)",
};
static const char *const helper_src[] = {
	"    def check_order(client, cart, total):",
	"        resp = client.post(\\\"/v1/checkout\\\", json=cart)",
	">       assert resp.json() == {\\\"total\\\": total, \\\"status\\\": \\\"paid\\\"}",
};
static const char *const setup_src[] = {
	"    @pytest.fixture",
	"    def db(tmp_path):",
	"        host = pick_host(%d)",
	">       raise RuntimeError(f\\\"database unavailable: {host}\\\")",
};
static const char *const teardown_src[] = {
	"    @pytest.fixture",
	"    def client(db):",
	"        conn = db.connect()",
	"        yield conn",
	">       conn.close()",
};
static const char *const cause_src[] = {
	"    def connect(self):",
	">       raise ConnectionError(\\\"refused\\\")",
};

/* A failure's longrepr object: reprcrash, reprtraceback, sections, chain. */
static void put_failure(const struct node *nd, const char *when)
{
	static const char helper[] = "src/shop/testing.py";
	static const char conftest[] = "tests/conftest.py";
	const char *exc;
	uint64_t a[4], ln;
	char args[96];
	int chained = 0;

	rnd_args(a);
	tb.n = 0;
	sb_str(&tb, "{\"reprentries\": [");
	if (when[0] == 's') { /* setup: a fixture raises */
		uint64_t ip[2] = { a[0] % 256, a[2] % 256 };
		reason.n = lines.n = 0;
		line_start();
		sb_fmt(&reason, "RuntimeError: database unavailable: 10.0.%d.%d", ip);
		exc = "RuntimeError";
		ln = 20 + a[3] % 40;
		tb_entry(setup_src, NELEM(setup_src), a, 1, "[\"tmp_path\", \"PosixPath('/tmp/pytest-of-ci/pytest-0/test0')\"]",
			 conftest, sizeof(conftest) - 1, ln, exc);
		crash_of(conftest, sizeof(conftest) - 1, ln);
	} else if (when[0] == 't') { /* teardown: closing fails, two lines */
		reason.n = lines.n = 0;
		line_start();
		sb_fmt(&reason, "OSError: [Errno 32] Broken pipe", a);
		sb_add(&reason, "\\n", 2);
		line_start();
		sb_fmt(&reason, "while closing connection %d", a);
		exc = "OSError";
		ln = 60 + a[3] % 40;
		snprintf(args, sizeof(args), "[\"db\", \"<Database 10.0.0.%u>\"]", (unsigned)(a[1] % 256));
		tb_entry(teardown_src, NELEM(teardown_src), a, 1, args, conftest, sizeof(conftest) - 1, ln, exc);
		crash_of(conftest, sizeof(conftest) - 1, ln);
	} else if (below(5) == 0) { /* an assertion in a helper: two entries */
		exc = make_reason(-1)->exc;
		tb_entry(caller_src, NELEM(caller_src), a, 0, "", nd->path.p, nd->path.n, nd->line + 2, "");
		sb_str(&tb, ", ");
		ln = 40 + a[3] % 300;
		snprintf(args, sizeof(args), "[\"client\", \"<FakeClient object at 0x7f%010llx>\"], [\"cart\", \"{}\"], [\"total\", \"%u\"]",
			 (unsigned long long)(a[1] * 4099), (unsigned)a[0]);
		tb_entry(helper_src, NELEM(helper_src), a, 1, args, helper, sizeof(helper) - 1, ln, exc);
		crash_of(helper, sizeof(helper) - 1, ln);
	} else {
		size_t from = below(4);
		exc = make_reason(-1)->exc;
		ln = nd->line + 2 + (NELEM(test_src) - from);
		if (nd->param)
			snprintf(args, sizeof(args), "[\"client\", \"<FakeClient object at 0x7f%010llx>\"], [\"order_id\", \"%u\"]",
				 (unsigned long long)(a[1] * 4099), (unsigned)a[2]);
		else
			args[0] = '\0';
		tb_entry(test_src + from, NELEM(test_src) - from, a, 1, args, nd->path.p, nd->path.n, ln, exc);
		crash_of(nd->path.p, nd->path.n, ln);
		chained = below(10) == 0;
	}
	sb_str(&tb, "], \"extraline\": null, \"style\": \"long\"}");

	PUTLIT("{\"reprcrash\": ");
	put(crash.p, crash.n);
	PUTLIT(", \"reprtraceback\": ");
	put(tb.p, tb.n);
	PUTLIT(", \"sections\": [], \"chain\": [");
	if (chained) {
		uint64_t l2 = 10 + below(400);
		char num[24];
		PUTLIT("[{\"reprentries\": [{\"type\": \"ReprEntry\", \"data\": {\"lines\": [");
		for (size_t i = 0; i < NELEM(cause_src); i++) {
			if (i)
				PUTLIT(", ");
			PUTLIT("\"");
			puts_(cause_src[i]);
			PUTLIT("\"");
		}
		PUTLIT(", \"E       ConnectionError: refused\"], \"reprfuncargs\": {\"args\": [[\"self\", \"<Pool size=4>\"]]}, "
		       "\"reprlocals\": null, \"reprfileloc\": {\"path\": \"src/shop/net.py\", \"lineno\": ");
		put(num, utoa(num, l2));
		PUTLIT(", \"message\": \"ConnectionError\"}, \"style\": \"long\"}}], \"extraline\": null, \"style\": \"long\"}, "
		       "{\"path\": \"/builds/example/src/shop/net.py\", \"lineno\": ");
		put(num, utoa(num, l2));
		PUTLIT(", \"message\": \"ConnectionError: refused\"}, "
		       "\"During handling of the above exception, another exception occurred:\"], ");
	}
	PUTLIT("[");
	put(tb.p, tb.n);
	PUTLIT(", ");
	put(crash.p, crash.n);
	PUTLIT(", null]]}");
}

enum { OK, FAILED, SKIPPED, XFAILED };

/* One TestReport line. */
static void put_report(const struct node *nd, int outcome, const char *when, uint64_t ns)
{
	static const char *const oname[] = { "passed", "failed", "skipped", "skipped" };
	char num[24];

	put(pre.p, pre.n);
	puts_(oname[outcome]);
	PUTLIT("\", \"longrepr\": ");
	if (outcome == OK) {
		PUTLIT("null");
	} else if (outcome == SKIPPED) {
		PUTLIT("[\"");
		puts_(root);
		put(nd->path.p, nd->path.n);
		PUTLIT("\", ");
		put(num, utoa(num, nd->line + (when[0] == 's' ? 0 : 3)));
		if (when[0] == 's')
			PUTLIT(", \"Skipped: needs a live database\"]");
		else
			PUTLIT(", \"Skipped: not supported on this platform\"]");
	} else {
		put_failure(nd, when);
	}
	PUTLIT(", \"when\": \"");
	puts_(when);
	PUTLIT("\", \"user_properties\": [], \"sections\": [], \"duration\": ");
	put_phase_end(ns);
	if (outcome == XFAILED)
		PUTLIT(", \"wasxfail\": \"known bug: rounding of totals\"");
	PUTLIT(", \"$report_type\": \"TestReport\"}\n");
	nlines++;
}

struct logstats {
	uint64_t tests, failed, skipped;
};

/* The lines of test j: returns 1 when the test failed. */
static int put_test(uint64_t j, struct node *nd, uint64_t fail, struct logstats *st)
{
	uint64_t r = rnd(), kind = (r >> 20) % 40;
	uint64_t setup_ns = 40000 + below(400000), teardown_ns = 25000 + below(250000);
	uint64_t call_ns = dur_us() * 1000 + below(1000);
	int setup = OK, call = OK, teardown = OK, failed = 0;
	const char *mark = NULL;

	node_of(j, nd);
	if (r % 1000 < fail) {
		failed = 1;
		if (kind < 2)
			setup = FAILED;
		else if (kind == 2)
			teardown = FAILED;
		else if (kind == 3)
			call = teardown = FAILED;
		else
			call = FAILED;
	} else if ((r >> 10) % 50 == 0) {
		if (!nd->param && (r >> 30) % 2) {
			setup = SKIPPED;
			mark = "skip";
		} else {
			call = SKIPPED;
		}
	} else if (!nd->param && (r >> 40) % 50 == 0) {
		call = XFAILED;
		mark = "xfail";
	}
	make_prefix(nd, mark);
	put_report(nd, setup, "setup", setup_ns);
	if (setup == OK)
		put_report(nd, call, "call", call_ns);
	put_report(nd, teardown, "teardown", teardown_ns);
	st->tests++;
	st->failed += (uint64_t)failed;
	st->skipped += setup == SKIPPED || call == SKIPPED || call == XFAILED;
	return failed;
}

/* One pass over the session.  Pass 1 (ntests == UINT64_MAX) writes tests
 * until the output reaches size bytes or maxtests tests, counting each
 * group's CollectReports at its first test; pass 2 writes ntests tests with
 * all the CollectReports first, as pytest does: the same bytes in pytest's
 * order. */
static void put_pass(uint64_t size, uint64_t maxtests, uint64_t ntests, uint64_t fail,
		     struct logstats *st)
{
	struct node nd = { { 0 }, { 0 }, { 0 }, { 0 }, NULL, 0, 0, 0 };
	unsigned seen = 0;

	rng_state = mix64(seed ^ 0x243f6a8885a308d3u);
	pclock = 3000.0 + (double)(seed % 1000) * 1.37;
	memset(st, 0, sizeof(*st));
	ototal = nlines = 0;
	PUTLIT("{\"pytest_version\": \"7.2.1\", \"$report_type\": \"SessionStart\"}\n");
	nlines++;
	put_collect("", 0, NULL, NULL);
	if (ntests != UINT64_MAX) {
		for (uint64_t j = 0; j < ntests; j += 16) {
			node_of(j, &nd);
			put_collect_classes(&nd, &seen);
			if (((j + 16) & 127) == 0 || j + 16 >= ntests) {
				put_collect(nd.path.p, nd.path.n, NULL, NULL);
				seen = 0;
			}
		}
		for (uint64_t j = 0; j < ntests; j++)
			put_test(j, &nd, fail, st);
		node_free(&nd);
		return;
	}
	while (ototal < size && st->tests < maxtests) {
		uint64_t j = st->tests;
		if ((j & 15) == 0) {
			node_of(j, &nd);
			if ((j & 127) == 0) {
				seen = 0;
				put_collect(nd.path.p, nd.path.n, NULL, NULL);
			}
			put_collect_classes(&nd, &seen);
		}
		put_test(j, &nd, fail, st);
	}
	node_free(&nd);
}

/* -l: both passes, then SessionFinish with pytest's exit status. */
static void gen_log(uint64_t size, uint64_t maxtests, uint64_t fail, struct logstats *st)
{
	uint64_t bytes1;

	discard = 1;
	put_pass(size, maxtests, UINT64_MAX, fail, st);
	bytes1 = ototal;
	discard = 0;
	put_pass(0, 0, st->tests, fail, st);
	if (ototal != bytes1) {
		fputs("gen: internal error: the two passes disagree\n", stderr);
		exit(1);
	}
	PUTLIT("{\"exitstatus\": ");
	put(st->failed ? "1" : st->tests ? "0" : "5", 1);
	PUTLIT(", \"$report_type\": \"SessionFinish\"}\n");
	nlines++;
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
	fputs("usage: gen [-lv] [-s BYTES] [-n RECORDS] [-f PERMILLE] [-r N] "
	      "[-b BYTES] [-x SEED]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t size = 10000000u, maxrec = UINT64_MAX, fail = 50, repeat = 0;
	int64_t exact = -1;
	int verbose = 0, log = 0;
	struct node nd = { { 0 }, { 0 }, { 0 }, { 0 }, NULL, 0, 0, 0 };
	uint64_t nrec = 0, nfail = 0, nskip = 0;
	unsigned char *final = NULL; /* -r: last outcome per node (0 p, 1 f, 2 s) */
	char num[24];

	seed = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (a[0] != '-' || !a[1] || a[2])
			usage();
		if (a[1] == 'v' || a[1] == 'l') {
			*(a[1] == 'v' ? &verbose : &log) = 1;
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
	if (log && (repeat || exact >= 0)) {
		fputs("gen: -l: no -r or -b\n", stderr);
		return 2;
	}
	if (log) {
		struct logstats st;
		gen_log(size, maxrec, fail, &st);
		oflush();
		if (fflush(stdout) == EOF || ferror(stdout)) {
			perror("gen: write");
			return 1;
		}
		if (verbose)
			fprintf(stderr, "records=%llu tests=%llu failed=%llu skipped=%llu bytes=%llu\n",
				(unsigned long long)nlines, (unsigned long long)st.tests,
				(unsigned long long)st.failed, (unsigned long long)st.skipped,
				(unsigned long long)ototal);
		return 0;
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
	node_free(&nd);
	return 0;
}
