package ratelimit

// Package ratelimit implements a token bucket and a keyed limiter built on it.

import (
	"errors"
	"sync"
	"time"
)

// ErrLimited is returned when a request exceeds the limit.
var ErrLimited = errors.New("ratelimit: limited")

// Clock lets tests control time.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Bucket is a token bucket: capacity tokens, refilled at rate tokens per second.
type Bucket struct {
	mu       sync.Mutex
	capacity float64
	tokens   float64
	rate     float64
	last     time.Time
	clock    Clock
}

// NewBucket creates a full bucket.
func NewBucket(capacity int, rate float64, clock Clock) *Bucket {
	if clock == nil {
		clock = systemClock{}
	}
	return &Bucket{
		capacity: float64(capacity),
		tokens:   float64(capacity),
		rate:     rate,
		last:     clock.Now(),
		clock:    clock,
	}
}

func (b *Bucket) refill() {
	now := b.clock.Now()
	elapsed := now.Sub(b.last).Seconds()
	if elapsed <= 0 {
		return
	}
	b.tokens += elapsed * b.rate
	if b.tokens > b.capacity {
		b.tokens = b.capacity
	}
	b.last = now
}

// Take removes n tokens, or returns ErrLimited and removes none.
func (b *Bucket) Take(n int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill()
	want := float64(n)
	if b.tokens < want {
		return ErrLimited
	}
	b.tokens -= want
	return nil
}

// Available reports the tokens left, after refilling.
func (b *Bucket) Available() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill()
	return b.tokens
}

// Keyed holds one bucket per key and forgets idle ones.
type Keyed struct {
	mu       sync.Mutex
	buckets  map[string]*entry
	capacity int
	rate     float64
	idle     time.Duration
	clock    Clock
}

type entry struct {
	bucket   *Bucket
	lastSeen time.Time
}

// NewKeyed creates an empty keyed limiter.
func NewKeyed(capacity int, rate float64, idle time.Duration, clock Clock) *Keyed {
	if clock == nil {
		clock = systemClock{}
	}
	return &Keyed{
		buckets:  make(map[string]*entry),
		capacity: capacity,
		rate:     rate,
		idle:     idle,
		clock:    clock,
	}
}

// Allow takes one token from the bucket of key.
func (k *Keyed) Allow(key string) bool {
	k.mu.Lock()
	e, ok := k.buckets[key]
	if !ok {
		e = &entry{bucket: NewBucket(k.capacity, k.rate, k.clock)}
		k.buckets[key] = e
	}
	e.lastSeen = k.clock.Now()
	k.mu.Unlock()
	return e.bucket.Take(1) == nil
}

// Sweep removes buckets idle for longer than the idle period and returns how many.
func (k *Keyed) Sweep() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	cutoff := k.clock.Now().Add(-k.idle)
	removed := 0
	for key, e := range k.buckets {
		if e.lastSeen.Before(cutoff) {
			delete(k.buckets, key)
			removed++
		}
	}
	return removed
}
