/*
 * siphash.h: SipHash (Aumasson and Bernstein), a keyed hash built so that
 * without the key no one can make two inputs collide, which a plain
 * mixing hash does not promise (two inputs can be built to collide under
 * every seed of one).
 */
#ifndef PYTRIAGE_SIPHASH_H
#define PYTRIAGE_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-1-3, as hash tables use it, of data under the key (k0, k1). */
uint64_t siphash13(uint64_t k0, uint64_t k1, const void *, size_t);

/* SipHash-c-d (c rounds per block, d to finish) under a key of 16 bytes,
 * as the published test vectors give it; 2-4 is the reference. */
uint64_t siphash(int c, int d, const unsigned char key[16], const void *,
	    size_t);

#endif
