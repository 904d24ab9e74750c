/*
 * difftest.c: hold the fast reader against the json-c reference.
 *
 * usage: difftest [-p prefixes] [-P prefixes] [-m mutants] [-g generated]
 *     [-s seed] [file ...]
 *
 * For every file, and for every input made from it, both readers run over
 * the same bytes, cut into chunks of many sizes so that every refill path
 * of the fast reader is reached, and must agree on everything the triage
 * reads: the status, every count, the selectors byte for byte and the
 * collection errors with their reasons.  The inputs are:
 *   - the file itself;
 *   - its proper prefixes (every one, or -p of them spread evenly), each
 *     of which must also be rejected as bad or empty, never accepted: a cut
 *     report must never turn into a retry or a pass.  -P checks that many
 *     more with the fast reader alone, for files too big to parse with
 *     json-c thousands of times;
 *   - seeded mutants: bytes flipped, replaced with JSON's own punctuation,
 *     deleted, duplicated and inserted;
 *   - with -g N, N generated reports (keys reordered, escapes in keys and
 *     values, odd types, nested junk in skipped fields).
 * Prints one line per disagreement and a closing line; exits 1 on any.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "source.h"
#include "tally.h"

struct result {
	enum report_status status;
	struct tally_counts counts;
	uint64_t error_records;
	struct strbuf ids;	/* selectors, then collection errors */
};

struct stats {
	unsigned long inputs, disagreements, prefixes_accepted;
	unsigned long accepted, rejected;	/* by the json-c reader */
};

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
run(int reference, const unsigned char *data, size_t len, size_t chunk,
    struct result *out)
{
	struct source src;
	struct tally t;
	struct report_error err;
	struct tally_id *ids, e;
	size_t n, i;

	source_from_memory(&src, data, len, chunk);
	if (tally_init(&t, 42) == -1) {
		fprintf(stderr, "difftest: out of memory\n");
		exit(2);
	}
	out->status = reference ? refread_read(&src, &t, &err) :
	    report_read(&src, &t, &err);
	out->counts = t.counts;
	out->error_records = t.error_records;
	strbuf_init(&out->ids);
	if (tally_selectors(&t, &ids, &n) == -1) {
		fprintf(stderr, "difftest: out of memory\n");
		exit(2);
	}
	for (i = 0; i < n; i++) {
		strbuf_append(&out->ids, ids[i].id, ids[i].len);
		strbuf_append(&out->ids, "\0", 1);
	}
	strbuf_append(&out->ids, "|", 1);
	for (i = 0; i < t.nerrors; i++) {
		tally_collection_error(&t, i, &e);
		strbuf_append(&out->ids, e.id, e.len);
		strbuf_append(&out->ids, "\0", 1);
		strbuf_append(&out->ids, e.reason, e.reason_len);
		strbuf_append(&out->ids, "\0", 1);
	}
	free(ids);
	tally_free(&t);
}

static int
same(const struct result *a, const struct result *b)
{
	return a->status == b->status &&
	    memcmp(&a->counts, &b->counts, sizeof(a->counts)) == 0 &&
	    a->error_records == b->error_records &&
	    a->ids.len == b->ids.len &&
	    memcmp(a->ids.data, b->ids.data, a->ids.len) == 0;
}

static void
describe(const char *what, const struct result *o)
{
	fprintf(stderr, "  %s: status %d records %llu tests %llu failed %llu "
	    "unknown %llu errors %llu ids %zu bytes\n", what, (int)o->status,
	    (unsigned long long)o->counts.records,
	    (unsigned long long)o->counts.tests,
	    (unsigned long long)o->counts.failed,
	    (unsigned long long)o->counts.unknown,
	    (unsigned long long)o->error_records, o->ids.len);
}

/* Keep a disagreeing input, so that it can become a regression case. */
static void
save(const unsigned char *data, size_t len)
{
	const char *dir = getenv("DIFFTEST_SAVE");
	char path[4096];
	FILE *fp;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/disagree-%llu.json", dir,
	    (unsigned long long)(rng() & 0xffffffff));
	if ((fp = fopen(path, "wb")) != NULL) {
		fwrite(data, 1, len, fp);
		fclose(fp);
		fprintf(stderr, "  saved as %s\n", path);
	}
}

/*
 * Both readers over one input at several chunk sizes.  Returns the fast
 * reader's status on the whole input.
 */
static enum report_status
check(const char *name, const char *kind, const unsigned char *data,
    size_t len, int many_chunks, struct stats *st)
{
	static const size_t chunks[] = { 0, 1, 2, 3, 7, 64, 4093 };
	struct result want, got;
	size_t i, chunk, nchunks;
	enum report_status status = REPORT_READ_OK;
	int bad = 0;

	/* A whole file: the json-c reader at several chunk sizes too, and
	 * the fast one at all.  A prefix or mutant: the fast reader whole
	 * and at one random chunk size. */
	nchunks = many_chunks ? sizeof(chunks) / sizeof(chunks[0]) : 2;
	st->inputs++;
	run(1, data, len, 0, &want);
	if (want.status == REPORT_READ_OK)
		st->accepted++;
	else
		st->rejected++;
	for (i = 0; i < nchunks && !bad; i++) {
		chunk = many_chunks || i == 0 ? chunks[i] : 1 + rng() % 97;
		run(0, data, len, chunk, &got);
		if (i == 0)
			status = got.status;
		if (!same(&want, &got)) {
			fprintf(stderr, "difftest: %s (%s, %zu bytes): fast "
			    "reader at chunk %zu disagrees with json-c\n",
			    name, kind, len, chunk);
			describe("json-c", &want);
			describe("fast", &got);
			save(data, len);
			bad = 1;
		}
		strbuf_free(&got.ids);
		if (!many_chunks || chunk == 0 || bad)
			continue;
		run(1, data, len, chunk, &got);
		if (!same(&want, &got)) {
			fprintf(stderr, "difftest: %s (%s): the json-c reader "
			    "depends on the chunk size %zu\n", name, kind,
			    chunk);
			save(data, len);
			bad = 1;
		}
		strbuf_free(&got.ids);
	}
	strbuf_free(&want.ids);
	st->disagreements += (unsigned long)bad;
	return status;
}

/* The fast reader alone, as the program reads: no json-c. */
static enum report_status
fast_status(const unsigned char *data, size_t len)
{
	struct result r;

	run(0, data, len, 0, &r);
	strbuf_free(&r.ids);
	return r.status;
}


/*
 * Generated reports: records with their keys in random order, keys and
 * values written with escapes (\u0073cope, \/, \ud83d\ude00, \u2028),
 * optional and odd-typed fields, duplicate tags, and nested junk of every
 * JSON kind in the fields the triage skips.  Most are valid, some not;
 * either way both readers must agree.
 */
static void
put(struct strbuf *sb, const char *s)
{
	strbuf_append(sb, s, strlen(s));
}

/* A string literal for text, with some characters escaped at random and,
 * rarely, an odd character put in (a \\u0000 in a key makes it bad). */
static void
put_string(struct strbuf *sb, const char *text)
{
	static const char *const odd[] = {
		"\\n", "\\u2028", "\\ud83d\\ude00", "\\ud800", "\\u00e9",
		"\\u0000", "\\\"", "\\\\", "\\/", "\\t", "\xc3\xa9", "::",
		"\xe2\x80\xa8", "@"
	};
	char esc[8];
	const char *p;

	put(sb, "\"");
	for (p = text; *p != '\0'; p++) {
		if (rng() % 6 == 0) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned char)*p);
			put(sb, esc);
		} else
			strbuf_append(sb, p, 1);
		if (rng() % 200 == 0)
			put(sb, odd[rng() % (sizeof(odd) / sizeof(odd[0]))]);
	}
	put(sb, "\"");
}

static void
put_junk(struct strbuf *sb, int depth)
{
	static const char *const scalars[] = {
		"0", "-0.0e-0", "1e999999", "NaN", "Infinity", "-Infinity",
		"true", "false", "null", "12.5E+3", "\"\"", "\"x\\ny\""
	};
	int i, n;

	switch (depth <= 0 ? 0 : rng() % 3) {
	case 0:
		put(sb, scalars[rng() % (sizeof(scalars) / sizeof(scalars[0]))]);
		break;
	case 1:
		put(sb, "[");
		n = (int)(rng() % 4);
		for (i = 0; i < n; i++) {
			if (i > 0)
				put(sb, ", ");
			put_junk(sb, depth - 1);
		}
		put(sb, "]");
		break;
	default:
		put(sb, "{");
		n = (int)(rng() % 4);
		for (i = 0; i < n; i++) {
			if (i > 0)
				put(sb, ", ");
			put_string(sb, i % 2 ? "start_at" : "children");
			put(sb, ": ");
			put_junk(sb, depth - 1);
		}
		put(sb, "}");
		break;
	}
}

static void
put_record(struct strbuf *sb, unsigned ids)
{
	/* The last of each list makes the report bad: one in 16. */
	static const char *const results[16] = {
		"\"passed\"", "\"passed\"", "\"passed\"", "\"passed\"",
		"\"passed\"", "\"passed\"", "\"failed\"", "\"failed\"",
		"\"failed\"", "\"failed\"", "\"skipped\"", "\"skipped\"",
		"null", "\"xfailed\"", "\"FAILED\"", "7"
	};
	static const char *const tag_values[16] = {
		"\"false\"", "\"false\"", "\"false\"", "\"false\"",
		"\"false\"", "\"false\"", "\"false\"", "\"false\"",
		"\"false\"", "\"false\"", "\"true\"", "\"true\"",
		"\"TRUE\"", "\"true \"", "\"\"", "1"
	};
	char name[64];
	int order[8], i, j, t, n = 8;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {	/* keys in random order */
		j = (int)(rng() % (unsigned)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	put(sb, "{");
	for (i = 0, t = 0; i < n; i++) {
		if (order[i] >= 5 && rng() % 3 == 0)
			continue;	/* optional keys left out */
		if (order[i] == 0 && rng() % 50 == 0)
			continue;	/* scope missing: bad */
		if (t++ > 0)
			put(sb, ", ");
		switch (order[i]) {
		case 0:
			put_string(sb, "scope");
			put(sb, ": ");
			put_string(sb, rng() % 4 ? "tests/t.py" : "");
			break;
		case 1:
			put_string(sb, "name");
			put(sb, ": ");
			snprintf(name, sizeof(name), "test_%u[a::b]",
			    (unsigned)(rng() % ids));
			put_string(sb, name);
			break;
		case 2:
			put_string(sb, "result");
			put(sb, ": ");
			put(sb, results[rng() % 16]);
			break;
		case 3:
			put_string(sb, "history");
			put(sb, ": ");
			put_junk(sb, 4);
			break;
		case 4:
			put_string(sb, "id");
			put(sb, ": ");
			put_string(sb, "c1a67827-f286-43e0-b100-58a2189847c6");
			break;
		case 5:
			put_string(sb, "tags");
			put(sb, ": {");
			put_string(sb, rng() % 2 ? "test.pytest_collection_error" :
			    "test.collection_error");
			put(sb, ": ");
			put(sb, tag_values[rng() % 16]);
			if (rng() % 4 == 0) {	/* a duplicate tag: last wins */
				put(sb, ", \"test.pytest_collection_error\": ");
				put(sb, tag_values[rng() % 15]);
			}
			put(sb, "}");
			break;
		case 6:
			put_string(sb, "failure_reason");
			put(sb, ": ");
			put_string(sb, "AssertionError: first line\nsecond");
			break;
		default:
			put_string(sb, "failure_expanded");
			put(sb, ": ");
			put_junk(sb, 3);
			break;
		}
	}
	put(sb, "}");
}

static void
generated(unsigned long count, struct stats *st)
{
	struct strbuf sb;
	unsigned long g;
	unsigned i, n, ids;

	strbuf_init(&sb);
	for (g = 0; g < count; g++) {
		strbuf_reset(&sb);
		n = (unsigned)(rng() % 12);
		ids = 1 + (unsigned)(rng() % 8);
		put(&sb, rng() % 20 == 0 ? "\xef\xbb\xbf[" : "[");
		for (i = 0; i < n; i++) {
			if (i > 0)
				put(&sb, ", ");
			put_record(&sb, ids);
		}
		put(&sb, "]");
		check("generated", "generated", (const unsigned char *)sb.data,
		    sb.len, 0, st);
	}
	strbuf_free(&sb);
}

static void
mutate(unsigned char *buf, size_t *len, size_t cap)
{
	static const char punct[] = "{}[],:\"\\0-eE.nu tf\x00\x80\xff\x1f";
	size_t at, n, edits = 1 + rng() % 4;

	while (edits-- > 0 && *len > 0) {
		at = rng() % *len;
		switch (rng() % 5) {
		case 0:		/* flip a bit */
			buf[at] ^= (unsigned char)(1u << (rng() % 8));
			break;
		case 1:		/* punctuation */
			buf[at] = (unsigned char)punct[rng() % (sizeof(punct) - 1)];
			break;
		case 2:		/* delete a span */
			n = 1 + rng() % 8;
			if (n > *len - at)
				n = *len - at;
			memmove(buf + at, buf + at + n, *len - at - n);
			*len -= n;
			break;
		case 3:		/* duplicate a span */
			n = 1 + rng() % 32;
			if (n > *len - at)
				n = *len - at;
			if (*len + n > cap)
				break;
			memmove(buf + at + n, buf + at, *len - at);
			*len += n;
			break;
		default:	/* insert punctuation */
			if (*len + 1 > cap)
				break;
			memmove(buf + at + 1, buf + at, *len - at);
			buf[at] = (unsigned char)punct[rng() % (sizeof(punct) - 1)];
			(*len)++;
			break;
		}
	}
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = NULL, *p;
	size_t cap = 0, n;

	*len = 0;
	if (fp == NULL)
		return NULL;
	for (;;) {
		if (*len == cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			if ((p = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + *len, 1, cap - *len, fp);
		if (n == 0)
			break;
		*len += n;
	}
	fclose(fp);
	return buf;
}

static void
usage(void)
{
	fprintf(stderr, "usage: difftest [-p prefixes] [-P prefixes] "
	    "[-m mutants] [-g generated] [-s seed] [file ...]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct stats st = { 0, 0, 0, 0, 0 };
	unsigned long max_prefixes = 0, fast_prefixes = 0, mutants = 0, m;
	unsigned long generate = 0;
	unsigned char *data, *mut;
	size_t len, mlen, cut, step, end;
	enum report_status status;
	int ch, i;

	rng_state = 1;
	while ((ch = getopt(argc, argv, "p:P:m:g:s:")) != -1) {
		switch (ch) {
		case 'g':
			generate = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			max_prefixes = strtoul(optarg, NULL, 10);
			break;
		case 'P':
			fast_prefixes = strtoul(optarg, NULL, 10);
			break;
		case 'm':
			mutants = strtoul(optarg, NULL, 10);
			break;
		case 's':
			rng_state = strtoull(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (optind == argc && generate == 0)
		usage();
	generated(generate, &st);
	for (i = optind; i < argc; i++) {
		if ((data = slurp(argv[i], &len)) == NULL) {
			fprintf(stderr, "difftest: %s: %s\n", argv[i],
			    strerror(errno));
			return 2;
		}
		status = check(argv[i], "whole", data, len, 1, &st);

		/* Proper prefixes of a valid report: never accepted.  White
		 * space after the closing ']' is not part of the report. */
		end = len;
		while (end > 0 && strchr(" \t\r\n", data[end - 1]) != NULL)
			end--;
		if (status == REPORT_READ_OK && end > 0 && max_prefixes > 0) {
			step = end <= max_prefixes ? 1 : end / max_prefixes;
			for (cut = 0; cut < end; cut += step) {
				if (check(argv[i], "prefix", data, cut, 0,
				    &st) == REPORT_READ_OK) {
					fprintf(stderr, "difftest: %s: the "
					    "prefix of %zu bytes is accepted\n",
					    argv[i], cut);
					st.prefixes_accepted++;
				}
			}
		}

		if (status == REPORT_READ_OK && end > 0 && fast_prefixes > 0) {
			step = end <= fast_prefixes ? 1 : end / fast_prefixes;
			for (cut = step / 2; cut < end; cut += step) {
				if (fast_status(data, cut) == REPORT_READ_OK) {
					fprintf(stderr, "difftest: %s: the "
					    "prefix of %zu bytes is accepted\n",
					    argv[i], cut);
					st.prefixes_accepted++;
				}
				st.inputs++;
			}
		}

		if ((mut = malloc(len + 4096)) == NULL)
			return 2;
		for (m = 0; m < mutants && len > 0; m++) {
			memcpy(mut, data, len);
			mlen = len;
			mutate(mut, &mlen, len + 4096);
			check(argv[i], "mutant", mut, mlen, 0, &st);
		}
		free(mut);
		free(data);
	}
	printf("difftest: %lu inputs (%lu valid, %lu not, %lu fast-only), "
	    "%lu disagreements, %lu prefixes accepted\n", st.inputs,
	    st.accepted, st.rejected, st.inputs - st.accepted - st.rejected,
	    st.disagreements, st.prefixes_accepted);
	return st.disagreements == 0 && st.prefixes_accepted == 0 ? 0 : 1;
}
