/*
 * siphash.c: SipHash-c-d (siphash.h), one implementation for every
 * number of rounds.
 */
#include <string.h>

#include "siphash.h"

struct sip {
	uint64_t v0, v1, v2, v3;
};

static uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static void
sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = rotl64(s->v1, 13) ^ s->v0;
	s->v0 = rotl64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl64(s->v3, 16) ^ s->v2;
	s->v0 += s->v3;
	s->v3 = rotl64(s->v3, 21) ^ s->v0;
	s->v2 += s->v1;
	s->v1 = rotl64(s->v1, 17) ^ s->v2;
	s->v2 = rotl64(s->v2, 32);
}

/* n (at most 8) bytes as a little-endian word, whatever the machine. */
static uint64_t
load64(const unsigned char *p, size_t n)
{
	uint64_t w = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&w, p, n);
#else
	while (n-- > 0)
		w = w << 8 | p[n];
#endif
	return w;
}

static void
sip_block(struct sip *s, uint64_t m, int rounds)
{
	s->v3 ^= m;
	while (rounds-- > 0)
		sip_round(s);
	s->v0 ^= m;
}

/* SipHash-c-d of data under the key (k0, k1).  Inline, so that each
 * caller's constant rounds unroll. */
static inline uint64_t
sip(int c, int d, uint64_t k0, uint64_t k1, const unsigned char *p,
    size_t len)
{
	struct sip s;
	size_t left = len;

	s.v0 = k0 ^ 0x736f6d6570736575ULL;
	s.v1 = k1 ^ 0x646f72616e646f6dULL;
	s.v2 = k0 ^ 0x6c7967656e657261ULL;
	s.v3 = k1 ^ 0x7465646279746573ULL;
	for (; left >= 8; p += 8, left -= 8)
		sip_block(&s, load64(p, 8), c);
	sip_block(&s, load64(p, left) | (uint64_t)len << 56, c);
	s.v2 ^= 0xff;
	while (d-- > 0)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint64_t
siphash13(uint64_t k0, uint64_t k1, const void *data, size_t len)
{
	return sip(1, 3, k0, k1, data, len);
}

uint64_t
siphash(int c, int d, const unsigned char key[16], const void *data,
    size_t len)
{
	return sip(c, d, load64(key, 8), load64(key + 8, 8), data, len);
}

