/*
 * tally.c: last outcome per node ID, failed node IDs, collection errors.
 *
 * Every distinct node ID costs one slot of an open-addressing table: its
 * 64-bit hash and 32 bits holding its outcome, two flags and the ordinal of
 * its first record (the selectors' order).  The table grows by half when it
 * is four-fifths full, so a node ID costs at most 22.5 bytes.  Growing
 * does not double that: the slot of a hash is monotone in the hash, so the
 * old table, walked in slot order, fills the new one front to back, and
 * the pages of the old one are unmapped as the walk leaves them.  The peak
 * stays near the new table alone.
 *
 * The hash is only trusted for counting.  Selectors come from exact bytes:
 * the first time a node ID fails (or ends unknown) its text is kept, and
 * every later record that lands on that slot is compared with it, so two
 * node IDs sharing a hash can never merge a failure away.  The hash is
 * SipHash (siphash.h) keyed by a random seed per run, so a report cannot
 * be built to collide, and by chance two of a million node IDs collide
 * once in 10^7 runs.
 */
#include <sys/mman.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nodeid.h"
#include "siphash.h"
#include "tally.h"

#define OUTCOME_MASK	0x3u
#define FLAG_KEPT	0x4u	/* text kept in failed[] */
#define FLAG_ERROR	0x8u	/* text kept in errors[] */
#define ORDINAL_SHIFT	4

#define REASON_MAX	200	/* bytes of a collection error's reason kept */
#define EXPECT_MAX	(1u << 19)	/* tally_expect() reserves at most
					 * 8 MiB of table ahead */

uint64_t
tally_hash(uint64_t seed, const char *s, size_t len)
{
	uint64_t h;

	/* The key: the seed and a second word drawn from it. */
	h = siphash13(seed, seed * 0x9e3779b97f4a7c15ULL +
	    0x632be59bd9b4e019ULL, s, len);
	return h == 0 ? 1 : h;	/* 0 marks a free slot */
}

/* Map a hash onto [0, cap) without a division (cap < 2^32). */
static size_t
slot_of(uint64_t hash, size_t cap)
{
	return (size_t)(((hash >> 32) * (uint64_t)cap) >> 32);
}

/* Zeroed pages of our own, so that parts can be given back early. */
static void *
map_zeroed(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void
unmap(void *p, size_t bytes)
{
	if (p != NULL && bytes > 0)
		munmap(p, bytes);
}

/* Give back the whole pages of [base + *done, base + upto). */
static void
unmap_upto(unsigned char *base, size_t *done, size_t upto, size_t page)
{
	upto -= upto % page;
	if (upto > *done) {
		munmap(base + *done, upto - *done);
		*done = upto;
	}
}

int
tally_init(struct tally *t, uint64_t seed)
{
	long page = sysconf(_SC_PAGESIZE);

	memset(t, 0, sizeof(*t));
	t->seed = seed;
	t->page = page > 0 ? (size_t)page : 4096;
	t->cap = 1024;
	t->hashes = map_zeroed(t->cap * sizeof(*t->hashes));
	t->meta = map_zeroed(t->cap * sizeof(*t->meta));
	strbuf_init(&t->failed_ids);
	strbuf_init(&t->error_ids);
	strbuf_init(&t->case_ids);
	if (t->hashes == NULL || t->meta == NULL) {
		tally_free(t);
		return -1;
	}
	return 0;
}

void
tally_free(struct tally *t)
{
	size_t i;

	for (i = 0; i < t->nruns; i++)
		free(t->runs[i].texts);
	for (i = 0; i < t->ncases; i++)
		free(t->cases[i].run.texts);
	free(t->runs);
	free(t->cases);
	free(t->case_of);
	strbuf_free(&t->case_ids);
	unmap(t->hashes, t->cap * sizeof(*t->hashes));
	unmap(t->meta, t->cap * sizeof(*t->meta));
	free(t->failed);
	free(t->failed_index);
	free(t->errors);
	strbuf_free(&t->failed_ids);
	strbuf_free(&t->error_ids);
	memset(t, 0, sizeof(*t));
}

static size_t
find_slot(const uint64_t *hashes, size_t cap, uint64_t hash)
{
	size_t i = slot_of(hash, cap);

	while (hashes[i] != 0 && hashes[i] != hash)
		if (++i == cap)
			i = 0;
	return i;
}

/*
 * Move to a table of cap slots, walking the old one in slot order.  The
 * new table fills front to back as the old one is given back behind the
 * walk, so that the two are never both whole in memory.
 */
static int
rehash(struct tally *t, size_t cap)
{
	size_t i, j;
	size_t hashes_done = 0, meta_done = 0;
	uint64_t *hashes;
	uint32_t *meta;

	hashes = map_zeroed(cap * sizeof(*hashes));
	meta = map_zeroed(cap * sizeof(*meta));
	if (hashes == NULL || meta == NULL) {
		unmap(hashes, cap * sizeof(*hashes));
		unmap(meta, cap * sizeof(*meta));
		return -1;
	}
	for (i = 0; i < t->cap; i++) {
		if (t->hashes[i] != 0) {
			j = find_slot(hashes, cap, t->hashes[i]);
			hashes[j] = t->hashes[i];
			meta[j] = t->meta[i];
		}
		if (i % 65536 == 65535) {	/* every 512 KiB of hashes */
			unmap_upto((unsigned char *)t->hashes, &hashes_done,
			    (i + 1) * sizeof(*t->hashes), t->page);
			unmap_upto((unsigned char *)t->meta, &meta_done,
			    (i + 1) * sizeof(*t->meta), t->page);
		}
	}
	unmap((unsigned char *)t->hashes + hashes_done,
	    t->cap * sizeof(*t->hashes) - hashes_done);
	unmap((unsigned char *)t->meta + meta_done,
	    t->cap * sizeof(*t->meta) - meta_done);
	t->hashes = hashes;
	t->meta = meta;
	t->cap = cap;
	return 0;
}

static int
grow(struct tally *t)
{
	return rehash(t, t->cap + t->cap / 2);
}

void
tally_expect(struct tally *t, uint64_t tests)
{
	size_t cap = t->cap;

	if (tests > EXPECT_MAX)
		tests = EXPECT_MAX;
	while (tests * 5 > (uint64_t)cap * 4)
		cap += cap / 2;
	if (cap > t->cap)
		(void)rehash(t, cap);	/* failed: grows as it fills */
}

static uint64_t *
count_of(struct tally_counts *c, unsigned outcome)
{
	switch (outcome) {
	case OUTCOME_PASSED:
		return &c->passed;
	case OUTCOME_FAILED:
		return &c->failed;
	case OUTCOME_SKIPPED:
		return &c->skipped;
	default:
		return &c->unknown;
	}
}

/* Index of the failed[] entry of a hash, by the failed index table. */
static size_t
failed_find(const struct tally *t, uint64_t hash, size_t *pos)
{
	size_t mask = t->failed_index_cap - 1;
	size_t i = (size_t)hash & mask;
	uint32_t k;

	while ((k = t->failed_index[i]) != 0) {
		if (t->failed[k - 1].hash == hash) {
			*pos = i;
			return k - 1;
		}
		i = (i + 1) & mask;
	}
	*pos = i;
	return (size_t)-1;
}

static int
failed_index_grow(struct tally *t)
{
	size_t cap = t->failed_index_cap == 0 ? 64 : t->failed_index_cap * 2;
	uint32_t *old = t->failed_index;
	size_t n, pos;

	if ((t->failed_index = calloc(cap, sizeof(*t->failed_index))) == NULL) {
		t->failed_index = old;
		return -1;
	}
	free(old);
	t->failed_index_cap = cap;
	for (n = 0; n < t->nfailed; n++) {
		failed_find(t, t->failed[n].hash, &pos);
		t->failed_index[pos] = (uint32_t)(n + 1);
	}
	return 0;
}

/* Keep a collection error's node ID and the first line of its reason. */
static int
keep_error(struct tally *t, const char *id, size_t len, const char *reason,
    size_t reason_len)
{
	struct tally_kept *k;
	size_t cap;

	if (t->nerrors == t->errors_cap) {
		cap = t->errors_cap == 0 ? 16 : t->errors_cap * 2;
		if ((k = realloc(t->errors, cap * sizeof(*k))) == NULL)
			return -1;
		t->errors = k;
		t->errors_cap = cap;
	}
	k = &t->errors[t->nerrors];
	k->off = t->error_ids.len;
	k->len = len;
	if (strbuf_append(&t->error_ids, id, len) == -1)
		return -1;
	k->reason_off = t->error_ids.len;
	k->reason_len = reason_len;
	if (strbuf_append(&t->error_ids, reason, reason_len) == -1)
		return -1;
	t->nerrors++;
	return 0;
}

static int
same_text(const struct strbuf *arena, const struct tally_failed *f,
    const char *id, size_t len)
{
	return f->len == len && memcmp(arena->data + f->off, id, len) == 0;
}

/* The first line of a failure reason, cut at max bytes. */
static size_t
first_line(const char *reason, size_t len, size_t max)
{
	size_t i;

	if (reason == NULL)
		return 0;
	for (i = 0; i < len && i < max; i++)
		if (reason[i] == '\n' || reason[i] == '\r')
			return i;
	return utf8_whole(reason, i);	/* cut short: whole characters */
}

static enum tally_status
keep_failed(struct tally *t, uint64_t hash, uint32_t ordinal, const char *id,
    size_t len, size_t *index)
{
	struct tally_failed *f;
	size_t pos, cap;

	if ((t->nfailed + 1) * 2 > t->failed_index_cap &&
	    failed_index_grow(t) == -1)
		return TALLY_NOMEM;
	if (t->nfailed == t->failed_cap) {
		cap = t->failed_cap == 0 ? 16 : t->failed_cap * 2;
		if ((f = realloc(t->failed, cap * sizeof(*f))) == NULL)
			return TALLY_NOMEM;
		t->failed = f;
		t->failed_cap = cap;
	}
	f = &t->failed[t->nfailed];
	memset(f, 0, sizeof(*f));
	f->hash = hash;
	f->off = t->failed_ids.len;
	f->len = (uint32_t)len;
	f->ordinal = ordinal;
	if (strbuf_append(&t->failed_ids, id, len) == -1)
		return TALLY_NOMEM;
	*index = t->nfailed;
	t->nfailed++;
	failed_find(t, hash, &pos);
	t->failed_index[pos] = (uint32_t)t->nfailed;
	return TALLY_OK;
}

/*
 * The kept entry of this slot, checked to be the same node ID; -1 when two
 * node IDs share a hash; (size_t)-2 when the slot keeps no text.  Only kept
 * text is checked: a collision elsewhere can shift a count, but never hide
 * a failure.
 */
static size_t
kept_entry(const struct tally *t, size_t slot, uint64_t hash, const char *id,
    size_t len)
{
	size_t i, pos;

	if (!(t->meta[slot] & FLAG_KEPT))
		return (size_t)-2;
	i = failed_find(t, hash, &pos);
	if (i == (size_t)-1 || !same_text(&t->failed_ids, &t->failed[i], id,
	    len))
		return (size_t)-1;
	return i;
}

/* Keep the first line of a failure's message, its path and its site,
 * once. */
static enum tally_status
keep_detail(struct tally *t, struct tally_failed *f,
    const struct failure_detail *d)
{
	size_t mlen = 0, plen, slen;

	if (f->has_detail || d == NULL)
		return TALLY_OK;
	if (d->message != NULL)
		mlen = first_line(d->message, d->message_len,
		    TALLY_MESSAGE_KEEP);
	plen = d->path != NULL && d->path_len <= TALLY_PATH_KEEP ?
	    d->path_len : 0;
	slen = d->site_path != NULL && d->site_path_len <= TALLY_PATH_KEEP ?
	    d->site_path_len : 0;
	f->detail_off = t->failed_ids.len;
	if (strbuf_append(&t->failed_ids, d->message, mlen) == -1 ||
	    strbuf_append(&t->failed_ids, d->path, plen) == -1 ||
	    strbuf_append(&t->failed_ids, d->site_path, slen) == -1)
		return TALLY_NOMEM;
	f->message_len = (uint16_t)mlen;
	f->path_len = (uint32_t)plen;
	f->line = d->line;
	f->site_len = (uint16_t)slen;
	f->site_line = slen > 0 && d->site_line <= UINT32_MAX ?
	    (uint32_t)d->site_line : 0;
	f->has_detail = 1;
	return TALLY_OK;
}

void
tally_prefetch(const struct tally *t, uint64_t hash)
{
#if defined(__GNUC__)
	size_t i = slot_of(hash, t->cap);

	__builtin_prefetch(&t->hashes[i], 1);
	__builtin_prefetch(&t->meta[i], 1);
#else
	(void)t;
	(void)hash;
#endif
}

void
tally_keep_messages(struct tally *t)
{
	t->messages = 1;
}

void
tally_keep_runs(struct tally *t)
{
	t->keep_runs = 1;
}

/* A new case at the end of the order: a node ID's text, no run yet. */
static enum tally_status
case_add(struct tally *t, const char *id, size_t len, int collect,
    size_t *index)
{
	struct tally_case *c;
	size_t cap;

	if (t->ncases == t->cases_cap) {
		cap = t->cases_cap == 0 ? 1024 : t->cases_cap * 2;
		if ((c = realloc(t->cases, cap * sizeof(*c))) == NULL)
			return TALLY_NOMEM;
		t->cases = c;
		t->cases_cap = cap;
	}
	c = &t->cases[t->ncases];
	memset(c, 0, sizeof(*c));
	c->id_off = t->case_ids.len;
	c->id_len = (uint32_t)len;
	c->collect = (unsigned char)collect;
	if (strbuf_append(&t->case_ids, id, len) == -1)
		return TALLY_NOMEM;
	*index = t->ncases++;
	return TALLY_OK;
}

/* The case of a test first seen now, its ordinal the next one. */
static enum tally_status
case_of_new_test(struct tally *t, uint32_t ordinal, const char *id,
    size_t len)
{
	enum tally_status st;
	uint32_t *p;
	size_t cap, index;

	if (ordinal >= t->case_of_cap) {
		cap = t->case_of_cap == 0 ? 1024 : t->case_of_cap * 2;
		if ((p = realloc(t->case_of, cap * sizeof(*p))) == NULL)
			return TALLY_NOMEM;
		t->case_of = p;
		t->case_of_cap = cap;
	}
	if ((st = case_add(t, id, len, 0, &index)) != TALLY_OK)
		return st;
	t->case_of[ordinal] = (uint32_t)index;
	return TALLY_OK;
}

size_t
tally_run_slot_keep(enum run_slot slot)
{
	switch (slot) {
	case RUN_FAILURE_MESSAGE:
	case RUN_ERROR_MESSAGE:
	case RUN_SKIPPED_MESSAGE:
		return TALLY_RUN_MESSAGE_KEEP;
	case RUN_FAILURE_TYPE:
	case RUN_ERROR_TYPE:
		return TALLY_RUN_TYPE_KEEP;
	case RUN_OUT:
	case RUN_ERR:
		return TALLY_RUN_OUTPUT_KEEP;
	default:
		return TALLY_RUN_TEXT_KEEP;
	}
}

/* Bytes of a text its slot keeps, and whether it is cut. */
static size_t
run_text_keep(const struct run_text *x, enum run_slot slot, int *cut)
{
	size_t cap = tally_run_slot_keep(slot);

	*cut = x->cut || x->len > cap;
	if (!*cut)
		return x->len;
	return utf8_whole(x->s, x->len < cap ? x->len : cap);
}

/* What a cut text ends in: a line of its own in a long one. */
static const char *
run_cut_mark(enum run_slot slot)
{
	switch (slot) {
	case RUN_FAILURE_MESSAGE:
	case RUN_ERROR_MESSAGE:
	case RUN_SKIPPED_MESSAGE:
	case RUN_FAILURE_TYPE:
	case RUN_ERROR_TYPE:
		return "\xe2\x80\xa6";
	default:
		return "\n\xe2\x80\xa6";
	}
}

/* A run to keep, its texts cut to their slots in one allocation. */
static enum tally_status
run_make(struct tally_run *run, enum outcome outcome,
    const struct run_record *r)
{
	uint32_t lens[RUN_SLOTS];
	size_t n, total = 0, off;
	int slot, cut[RUN_SLOTS];

	memset(run, 0, sizeof(*run));
	run->outcome = (unsigned char)outcome;
	if (r == NULL)
		return TALLY_OK;
	run->time = r->time;
	run->results = (unsigned char)r->results;
	for (slot = 0; slot < RUN_SLOTS; slot++) {
		n = run_text_keep(&r->text[slot], (enum run_slot)slot,
		    &cut[slot]);
		if (cut[slot])
			n += strlen(run_cut_mark((enum run_slot)slot));
		lens[slot] = (uint32_t)n;
		total += n;
	}
	if (total == 0)
		return TALLY_OK;
	if ((run->texts = malloc(sizeof(lens) + total)) == NULL)
		return TALLY_NOMEM;
	memcpy(run->texts, lens, sizeof(lens));
	off = sizeof(lens);
	for (slot = 0; slot < RUN_SLOTS; slot++) {
		n = run_text_keep(&r->text[slot], (enum run_slot)slot,
		    &cut[slot]);
		if (n > 0)
			memcpy(run->texts + off, r->text[slot].s, n);
		if (cut[slot])
			memcpy(run->texts + off + n,
			    run_cut_mark((enum run_slot)slot),
			    lens[slot] - n);
		off += lens[slot];
	}
	return TALLY_OK;
}

static int
run_failing(const struct tally_run *run)
{
	return (run->results & (RUN_FAILURE | RUN_ERROR)) != 0;
}

/*
 * Keep a case's newest run: after its earlier ones while they failed and
 * fewer than TALLY_RUNS_KEEP are kept, else in place of its latest.  A
 * collector's case keeps its latest alone.
 */
static enum tally_status
case_run(struct tally *t, size_t index, enum outcome outcome,
    const struct run_record *r)
{
	struct tally_case *c = &t->cases[index];
	struct tally_run run, *last, *p;
	enum tally_status st;
	size_t cap, n = 1, at = 0;	/* at: the latest in runs[] + 1 */

	if ((st = run_make(&run, outcome, r)) != TALLY_OK)
		return st;
	if (!c->has_run) {
		c->run = run;
		c->has_run = 1;
		return TALLY_OK;
	}
	for (last = &c->run; last->next != 0; n++) {
		at = last->next;
		last = &t->runs[at - 1];
	}
	if (c->collect || n >= TALLY_RUNS_KEEP || !run_failing(last)) {
		free(last->texts);
		*last = run;
		return TALLY_OK;
	}
	if (t->nruns == t->runs_cap) {
		cap = t->runs_cap == 0 ? 1024 : t->runs_cap * 2;
		if ((p = realloc(t->runs, cap * sizeof(*p))) == NULL) {
			free(run.texts);
			return TALLY_NOMEM;
		}
		t->runs = p;
		t->runs_cap = cap;
	}
	t->runs[t->nruns] = run;
	/* The latest moved if it lay in runs[]. */
	last = at != 0 ? &t->runs[at - 1] : &c->run;
	last->next = (uint32_t)(t->nruns + 1);
	t->nruns++;
	return TALLY_OK;
}

uint64_t
tally_hash_id(const struct tally *t, const char *id, size_t len)
{
	return tally_hash(t->seed, id, len);
}

enum tally_status
tally_record(struct tally *t, const char *id, size_t len, enum outcome outcome,
    int collection_error, const char *reason, size_t reason_len)
{
	struct failure_detail d = { reason, reason_len, NULL, 0, 0, NULL, 0,
	    0 };

	return tally_record_hashed(t, tally_hash(t->seed, id, len), id, len,
	    outcome, collection_error, &d);
}

/* The slot of a hash, taken for a new node ID when it has none yet. */
static enum tally_status
claim_slot(struct tally *t, uint64_t hash, const char *id, size_t len,
    size_t *slot)
{
	size_t i = find_slot(t->hashes, t->cap, hash);
	enum tally_status st;

	if (t->hashes[i] == 0) {
		if (t->counts.tests >= TALLY_MAX_TESTS)
			return TALLY_TOO_MANY;
		if (t->keep_runs && (st = case_of_new_test(t,
		    (uint32_t)t->counts.tests, id, len)) != TALLY_OK)
			return st;
		if ((t->used + 1) * 5 > t->cap * 4) {
			if (grow(t) == -1)
				return TALLY_NOMEM;
			i = find_slot(t->hashes, t->cap, hash);
		}
		t->hashes[i] = hash;
		t->meta[i] = (uint32_t)t->counts.tests << ORDINAL_SHIFT |
		    OUTCOME_UNKNOWN;
		t->used++;
		t->counts.tests++;
		t->counts.unknown++;
	}
	*slot = i;
	return TALLY_OK;
}

/* Keep the text of a node ID that failed, and the first failure's detail. */
static enum tally_status
note_failure(struct tally *t, size_t slot, uint64_t hash, const char *id,
    size_t len, size_t k, const struct failure_detail *detail)
{
	enum tally_status st;

	if (k == (size_t)-2) {
		if ((st = keep_failed(t, hash, t->meta[slot] >> ORDINAL_SHIFT,
		    id, len, &k)) != TALLY_OK)
			return st;
		t->meta[slot] |= FLAG_KEPT;
	}
	t->failed[k].ever_failed = 1;
	if (t->messages)
		return keep_detail(t, &t->failed[k], detail);
	return TALLY_OK;
}

enum tally_status
tally_note_failure(struct tally *t, uint64_t hash, const char *id, size_t len,
    const struct failure_detail *detail)
{
	size_t slot, k;
	enum tally_status st;

	if ((st = claim_slot(t, hash, id, len, &slot)) != TALLY_OK)
		return st;
	if ((k = kept_entry(t, slot, hash, id, len)) == (size_t)-1)
		return TALLY_COLLISION;
	return note_failure(t, slot, hash, id, len, k, detail);
}

enum tally_status
tally_touch(struct tally *t, uint64_t hash, const char *id, size_t len)
{
	size_t slot;

	return claim_slot(t, hash, id, len, &slot);
}

enum tally_status
tally_record_hashed(struct tally *t, uint64_t hash, const char *id,
    size_t len, enum outcome outcome, int collection_error,
    const struct failure_detail *detail)
{
	return tally_record_run(t, hash, id, len, outcome, collection_error,
	    detail, NULL);
}

/* The case of a slot, checked to be this node ID's: runs keep every
 * node ID's text, so every record is checked. */
static enum tally_status
slot_case(const struct tally *t, size_t slot, const char *id, size_t len,
    size_t *index)
{
	const struct tally_case *c;

	*index = t->case_of[t->meta[slot] >> ORDINAL_SHIFT];
	c = &t->cases[*index];
	if (c->id_len != len ||
	    (len > 0 && memcmp(t->case_ids.data + c->id_off, id, len) != 0))
		return TALLY_COLLISION;
	return TALLY_OK;
}

enum tally_status
tally_record_run(struct tally *t, uint64_t hash, const char *id,
    size_t len, enum outcome outcome, int collection_error,
    const struct failure_detail *detail, const struct run_record *run)
{
	size_t slot, k, index = 0;
	enum tally_status st;

	t->counts.records++;
	if ((st = claim_slot(t, hash, id, len, &slot)) != TALLY_OK)
		return st;
	if (t->keep_runs && (st = slot_case(t, slot, id, len, &index)) !=
	    TALLY_OK)
		return st;
	if ((k = kept_entry(t, slot, hash, id, len)) == (size_t)-1)
		return TALLY_COLLISION;
	(*count_of(&t->counts, t->meta[slot] & OUTCOME_MASK))--;
	t->meta[slot] = (t->meta[slot] & ~OUTCOME_MASK) | (uint32_t)outcome;
	(*count_of(&t->counts, outcome))++;

	if (outcome == OUTCOME_UNKNOWN && k == (size_t)-2) {
		if ((st = keep_failed(t, hash, t->meta[slot] >> ORDINAL_SHIFT,
		    id, len, &k)) != TALLY_OK)
			return st;
		t->meta[slot] |= FLAG_KEPT;
	}
	if (outcome == OUTCOME_FAILED &&
	    (st = note_failure(t, slot, hash, id, len, k, detail)) != TALLY_OK)
		return st;
	if (collection_error) {
		t->error_records++;
		if (!(t->meta[slot] & FLAG_ERROR)) {
			if (keep_error(t, id, len, detail != NULL ?
			    detail->message : NULL, detail != NULL ?
			    first_line(detail->message, detail->message_len,
			    REASON_MAX) : 0) == -1)
				return TALLY_NOMEM;
			t->meta[slot] |= FLAG_ERROR;
		}
	}
	if (!t->keep_runs)
		return TALLY_OK;
	if (collection_error)
		t->cases[index].collect = 1;
	return case_run(t, index, outcome, run);
}

enum tally_status
tally_collect_skipped(struct tally *t, const char *id, size_t len,
    const struct run_record *run)
{
	enum tally_status st;
	size_t index;

	if (!t->keep_runs)
		return TALLY_OK;
	if ((st = case_add(t, id, len, 1, &index)) != TALLY_OK)
		return st;
	return case_run(t, index, OUTCOME_SKIPPED, run);
}

void
tally_set_records(struct tally *t, uint64_t records)
{
	t->counts.records = records;
}

const struct tally_counts *
tally_counts(const struct tally *t)
{
	return &t->counts;
}

uint64_t
tally_error_records(const struct tally *t)
{
	return t->error_records;
}

size_t
tally_nerrors(const struct tally *t)
{
	return t->nerrors;
}

static int
by_ordinal(const void *a, const void *b)
{
	uint32_t x = ((const struct tally_failed *)a)->ordinal;
	uint32_t y = ((const struct tally_failed *)b)->ordinal;

	return (x > y) - (x < y);
}

int
tally_kept(const struct tally *t, enum outcome outcome, struct tally_id **ids,
    size_t *n)
{
	struct tally_failed *still;
	const struct tally_failed *f;
	size_t i, k = 0, slot;

	*ids = NULL;
	*n = 0;
	if (t->nfailed == 0)
		return 0;
	if ((still = calloc(t->nfailed, sizeof(*still))) == NULL)
		return -1;
	for (i = 0; i < t->nfailed; i++) {
		slot = find_slot(t->hashes, t->cap, t->failed[i].hash);
		if ((t->meta[slot] & OUTCOME_MASK) != outcome)
			continue;
		if (outcome == OUTCOME_PASSED && !t->failed[i].ever_failed)
			continue;
		still[k] = t->failed[i];
		still[k++].collection_error = (t->meta[slot] & FLAG_ERROR) != 0;
	}
	qsort(still, k, sizeof(*still), by_ordinal);
	if (k > 0 && (*ids = calloc(k, sizeof(**ids))) == NULL) {
		free(still);
		return -1;
	}
	for (i = 0; i < k; i++) {
		f = &still[i];
		(*ids)[i].id = t->failed_ids.data + f->off;
		(*ids)[i].len = f->len;
		(*ids)[i].ordinal = f->ordinal;
		(*ids)[i].collection_error = f->collection_error;
		if (f->has_detail) {
			(*ids)[i].reason = t->failed_ids.data + f->detail_off;
			(*ids)[i].reason_len = f->message_len;
			(*ids)[i].path = (*ids)[i].reason + f->message_len;
			(*ids)[i].path_len = f->path_len;
			(*ids)[i].line = f->line;
			(*ids)[i].site_path = (*ids)[i].path + f->path_len;
			(*ids)[i].site_path_len = f->site_len;
			(*ids)[i].site_line = f->site_line;
		}
	}
	*n = k;
	free(still);
	return 0;
}

int
tally_lookup(const struct tally *t, const char *id, size_t len,
    enum outcome *outcome, int *ever_failed)
{
	uint64_t hash = tally_hash(t->seed, id, len);
	size_t slot, k, pos;

	slot = find_slot(t->hashes, t->cap, hash);
	if (t->hashes[slot] == 0)
		return -1;
	*outcome = (enum outcome)(t->meta[slot] & OUTCOME_MASK);
	*ever_failed = 0;
	if ((t->meta[slot] & FLAG_KEPT) &&
	    (k = failed_find(t, hash, &pos)) != (size_t)-1)
		*ever_failed = t->failed[k].ever_failed;
	return 0;
}

int
tally_selectors(const struct tally *t, struct tally_id **ids, size_t *n)
{
	return tally_kept(t, OUTCOME_FAILED, ids, n);
}

void
tally_collection_error(const struct tally *t, size_t i, struct tally_id *out)
{
	const struct tally_kept *k = &t->errors[i];

	out->id = t->error_ids.data + k->off;
	out->len = k->len;
	out->reason = t->error_ids.data + k->reason_off;
	out->reason_len = k->reason_len;
	out->path = NULL;
	out->path_len = 0;
	out->line = 0;
	out->site_path = NULL;
	out->site_path_len = 0;
	out->site_line = 0;
}

size_t
tally_ncases(const struct tally *t)
{
	return t->ncases;
}

void
tally_case(const struct tally *t, size_t i, const char **id, size_t *len,
    int *collect, const struct tally_run **first)
{
	const struct tally_case *c = &t->cases[i];

	*id = t->case_ids.data + c->id_off;
	*len = c->id_len;
	*collect = c->collect;
	*first = c->has_run ? &c->run : NULL;
}

const struct tally_run *
tally_run_next(const struct tally *t, const struct tally_run *run)
{
	return run->next != 0 ? &t->runs[run->next - 1] : NULL;
}

const char *
tally_run_text(const struct tally_run *run, enum run_slot slot, size_t *len)
{
	uint32_t lens[RUN_SLOTS];
	size_t off = sizeof(lens);
	int i;

	*len = 0;
	if (run->texts == NULL)
		return "";
	memcpy(lens, run->texts, sizeof(lens));
	for (i = 0; i < (int)slot; i++)
		off += lens[i];
	*len = lens[slot];
	return run->texts + off;
}
