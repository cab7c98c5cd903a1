/*
 * Labelling for route pricing, compiled: the same algorithm as
 * provide/core/planning/pricing.py (best_routes), which documents it and stays the
 * reference. Python builds every array (places renumbered 0..end, masks as bit sets, at
 * most 64 places), fills one ProvidePricingCall (labelling.h) by field name and calls
 * provide_best_routes through the cffi extension built at install time
 * (provide/core/planning/native.py, _labelling_build.py). Tests check both give the same
 * values and bounds.
 *
 * No global state: every call allocates and frees its own memory, so calls from several
 * threads are safe.
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c99 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "labelling.h"

#define EPSILON 1e-9
#define HEURISTIC PROVIDE_PRICING_HEURISTIC
#define EXACT PROVIDE_PRICING_EXACT
#define ENUMERATE PROVIDE_PRICING_ENUMERATE /* every route worth a threshold, as sets */

typedef struct {
    int32_t node, ready, parent, depth;
    double value, open_value;
    uint64_t mask, visited;
    uint8_t taken, rest, alive;
} Label;

typedef struct {
    int32_t ready;
    int32_t label;
    int64_t order;
} Entry;

typedef struct {
    double value;
    int32_t label;
} Found;

/* ENUMERATE keeps, per (place, visits made), the earliest label with the break taken and
 * the earliest without: a hash table (open addressing) instead of scanning bags. */
typedef struct {
    uint64_t visited;
    int32_t node, with_break, without_break; /* label indices, -1 if none */
} Slot;

typedef struct {
    /* network */
    int32_t n_places, end;
    const int32_t *travel, *service, *win_offset, *win_start, *win_end;
    const int32_t *oor_offset, *oor_threshold;
    const uint64_t *oor_mask, *remember;
    const double *gain;
    const int32_t *active, *density, *weight;
    int32_t n_active, n_density;
    uint64_t closed;
    int32_t shift_start, shift_end, has_break, b_open, b_close, pause;
    /* search */
    int mode, breadth; /* mode: HEURISTIC, EXACT or ENUMERATE */
    /* storage */
    Label *labels;
    int64_t n_labels, cap_labels;
    Entry *heap;
    int64_t n_heap, cap_heap;
    int32_t **bag;
    int32_t *bag_size, *bag_cap;
    int64_t order;
    int failed;
    Slot *slots;
    int64_t n_slots, cap_slots; /* cap_slots: a power of two */
    double *ahead; /* ENUMERATE: completion table, see completion_table; NULL if none */
    double deadline; /* monotonic seconds; 0: none */
} State;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int entry_less(const Entry *a, const Entry *b) {
    return a->ready < b->ready || (a->ready == b->ready && a->order < b->order);
}

static void heap_push(State *s, Entry e) {
    if (s->n_heap == s->cap_heap) {
        int64_t cap = s->cap_heap ? 2 * s->cap_heap : 1024;
        Entry *grown = realloc(s->heap, (size_t)cap * sizeof(Entry));
        if (!grown) { s->failed = 1; return; }
        s->heap = grown;
        s->cap_heap = cap;
    }
    int64_t i = s->n_heap++;
    while (i > 0) {
        int64_t up = (i - 1) / 2;
        if (!entry_less(&e, &s->heap[up])) break;
        s->heap[i] = s->heap[up];
        i = up;
    }
    s->heap[i] = e;
}

static Entry heap_pop(State *s) {
    Entry top = s->heap[0];
    Entry last = s->heap[--s->n_heap];
    int64_t i = 0, n = s->n_heap;
    for (;;) {
        int64_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && entry_less(&s->heap[child + 1], &s->heap[child])) child++;
        if (!entry_less(&s->heap[child], &last)) break;
        s->heap[i] = s->heap[child];
        i = child;
    }
    if (n > 0) s->heap[i] = last;
    return top;
}

static uint64_t mask_after(const State *s, int32_t place, int32_t ready, uint64_t mask) {
    /* bisect_left: the number of thresholds below ready */
    int32_t lo = s->oor_offset[place], hi = s->oor_offset[place + 1], first = lo;
    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (s->oor_threshold[mid] < ready) lo = mid + 1; else hi = mid;
    }
    return lo > first ? mask | s->oor_mask[lo - 1] : mask;
}

static double reach(const State *s, int32_t ready, uint64_t mask, int taken) {
    double room = (double)(s->shift_end - ready - (taken ? 0 : s->pause));
    double more = 0.0;
    for (int32_t k = 0; k < s->n_density; k++) {
        int32_t v = s->density[k];
        if (mask >> v & 1) continue;
        double w = (double)s->weight[v], g = s->gain[v];
        if (w <= room) {
            more += g;
            room -= w;
        } else {
            return room > 0 ? more + g * room / w : more;
        }
    }
    return more;
}

/* The exact modes' second completion bound: ahead[v * H + (t - shift_start)] is the most
 * reduced priority a team ready to leave place v at minute t can still collect and be back
 * in time, by dynamic programming over the minutes of the shift, backwards. It follows real
 * legs and windows (unlike the knapsack in reach) and ignores the break; it may make a
 * visit twice, but never twice in a row. For ENUMERATE, whose routes never repeat a visit,
 * not as v, u, v either: each entry keeps its best value and the best that does not start
 * with the same visit ("2-cycle elimination", as for q-routes: Christofides, Mingozzi and
 * Toth 1981); EXACT prices ng-routes, which may, so it keeps those. Either way it bounds
 * every completion the mode allows; labels take the smaller of it and the knapsack. Not
 * built when a visit takes no time (it could repeat without end). */
static double *completion_table(const State *s, int no_two_cycles) {
    const int32_t start = s->shift_start, H = s->shift_end - s->shift_start + 1;
    const int32_t n = s->n_places, end = s->end;
    if (H <= 0) return NULL;
    for (int32_t k = 0; k < s->n_density; k++)
        if (s->service[s->density[k]] <= 0) return NULL;
    const size_t cells = (size_t)n * (size_t)H;
    double *ahead = malloc(cells * sizeof(double));
    /* only with no_two_cycles: the best not starting with hop[...], and that first visit */
    double *second = no_two_cycles ? malloc(cells * sizeof(double)) : NULL;
    int32_t *hop = no_two_cycles ? malloc(cells * sizeof(int32_t)) : NULL;
    if (!ahead || (no_two_cycles && (!second || !hop))) {
        free(ahead);
        free(second);
        free(hop);
        return NULL;
    }
    for (int32_t t = s->shift_end; t >= start; t--) {
        if ((t & 63) == 0 && s->deadline > 0 && now_seconds() > s->deadline) {
            free(ahead); /* out of time: the labelling stops at once anyway */
            free(second);
            free(hop);
            return NULL;
        }
        for (int32_t v = 0; v < n; v++) {
            const int32_t *row = s->travel + (size_t)v * n;
            double best = t + row[end] <= s->shift_end ? 0.0 : -1e18, next = -1e18;
            int32_t first = -1;
            for (int32_t k = 0; k < s->n_density; k++) {
                int32_t u = s->density[k];
                if (u == v) continue;
                int32_t arrive = t + row[u], begin = -1;
                for (int32_t w = s->win_offset[u]; w < s->win_offset[u + 1]; w++) {
                    if (arrive <= s->win_end[w]) {
                        begin = s->win_start[w] > arrive ? s->win_start[w] : arrive;
                        break;
                    }
                }
                if (begin < 0) continue;
                int32_t done = begin + s->service[u];
                if (done > s->shift_end) continue;
                size_t at = (size_t)u * H + (size_t)(done - start);
                if (!no_two_cycles) {
                    double value = s->gain[u] + ahead[at];
                    if (value > best) best = value;
                    continue;
                }
                double value = s->gain[u] + (hop[at] != v ? ahead[at] : second[at]);
                if (value > best) {
                    next = best; /* the old best started elsewhere (or went home) */
                    best = value;
                    first = u;
                } else if (value > next) {
                    next = value;
                }
            }
            size_t here = (size_t)v * H + (size_t)(t - start);
            ahead[here] = best;
            if (no_two_cycles) {
                second[here] = next;
                hop[here] = first;
            }
        }
    }
    free(second);
    free(hop);
    return ahead;
}

#define NO_BOUND 1e300

/* The completion table's bound (NO_BOUND without a table): a lookup, so labels check it
 * before the knapsack, which costs a pass over the open visits. */
static double walk_bound(const State *s, int32_t place, int32_t ready) {
    if (!s->ahead || ready < s->shift_start || ready > s->shift_end) return NO_BOUND;
    return s->ahead[(size_t)place * (size_t)(s->shift_end - s->shift_start + 1) +
                    (size_t)(ready - s->shift_start)];
}

static double open_bound(const State *s, int32_t place, int32_t ready, uint64_t mask, int taken) {
    double knapsack = reach(s, ready, mask, taken);
    double walk = walk_bound(s, place, ready);
    return walk < knapsack ? walk : knapsack;
}

static int dominates(const State *s, const Label *a, const Label *b) {
    if (s->mode == ENUMERATE) /* same places made: the same worth, the same futures */
        return a->visited == b->visited && a->ready <= b->ready && a->taken >= b->taken;
    return a->ready <= b->ready && a->value >= b->value - EPSILON && a->taken >= b->taken &&
           (s->mode == HEURISTIC || (a->mask & ~b->mask) == 0);
}

static uint64_t slot_hash(uint64_t visited, int32_t node) {
    uint64_t h = visited * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)node * 0xC2B2AE3D27D4EB4FULL);
    return h ^ (h >> 29);
}

static int grow_slots(State *s) {
    int64_t cap = s->cap_slots ? 2 * s->cap_slots : 4096;
    Slot *table = malloc((size_t)cap * sizeof(Slot));
    if (!table) return 0;
    for (int64_t k = 0; k < cap; k++) table[k].node = -1;
    for (int64_t k = 0; k < s->cap_slots; k++) {
        Slot *old = &s->slots[k];
        if (old->node < 0) continue;
        uint64_t at = slot_hash(old->visited, old->node) & (uint64_t)(cap - 1);
        while (table[at].node >= 0) at = (at + 1) & (uint64_t)(cap - 1);
        table[at] = *old;
    }
    free(s->slots);
    s->slots = table;
    s->cap_slots = cap;
    return 1;
}

static int push_label(State *s, Label label) {
    if (s->n_labels == s->cap_labels) {
        int64_t cap = s->cap_labels ? 2 * s->cap_labels : 4096;
        Label *grown = realloc(s->labels, (size_t)cap * sizeof(Label));
        if (!grown) { s->failed = 1; return -1; }
        s->labels = grown;
        s->cap_labels = cap;
    }
    int32_t index = (int32_t)s->n_labels++;
    s->labels[index] = label;
    Entry e = {label.ready, index, s->order++};
    heap_push(s, e);
    return index;
}

static void add_enumerated(State *s, Label label) {
    if (2 * (s->n_slots + 1) > s->cap_slots && !grow_slots(s)) { s->failed = 1; return; }
    uint64_t at = slot_hash(label.visited, label.node) & (uint64_t)(s->cap_slots - 1);
    while (s->slots[at].node >= 0 &&
           (s->slots[at].node != label.node || s->slots[at].visited != label.visited))
        at = (at + 1) & (uint64_t)(s->cap_slots - 1);
    Slot *slot = &s->slots[at];
    if (slot->node < 0) {
        slot->node = label.node;
        slot->visited = label.visited;
        slot->with_break = slot->without_break = -1;
        s->n_slots++;
    }
    /* a label with the break taken and ready no later dominates either kind */
    if (slot->with_break >= 0 && s->labels[slot->with_break].ready <= label.ready) return;
    if (!label.taken && slot->without_break >= 0 &&
        s->labels[slot->without_break].ready <= label.ready)
        return;
    int32_t index = push_label(s, label);
    if (index < 0) return;
    if (label.taken) {
        if (slot->with_break >= 0) s->labels[slot->with_break].alive = 0;
        slot->with_break = index;
        if (slot->without_break >= 0 && s->labels[slot->without_break].ready >= label.ready) {
            s->labels[slot->without_break].alive = 0;
            slot->without_break = -1;
        }
    } else {
        if (slot->without_break >= 0) s->labels[slot->without_break].alive = 0;
        slot->without_break = index;
    }
}

static void add_label(State *s, Label label) {
    if (s->mode == ENUMERATE) {
        add_enumerated(s, label);
        return;
    }
    int32_t node = label.node;
    int32_t *same = s->bag[node];
    int32_t size = s->bag_size[node];
    for (int32_t k = 0; k < size; k++)
        if (dominates(s, &s->labels[same[k]], &label)) return;
    int32_t index = push_label(s, label);
    if (index < 0) return;
    int32_t kept = 0;
    for (int32_t k = 0; k < size; k++) {
        Label *other = &s->labels[same[k]];
        if (dominates(s, &s->labels[index], other)) other->alive = 0;
        else same[kept++] = same[k];
    }
    if (kept == s->bag_cap[node]) {
        int32_t cap = s->bag_cap[node] ? 2 * s->bag_cap[node] : 16;
        int32_t *grown = realloc(s->bag[node], (size_t)cap * sizeof(int32_t));
        if (!grown) { s->failed = 1; return; }
        s->bag[node] = grown;
        s->bag_cap[node] = cap;
        same = grown;
    }
    same[kept++] = index;
    s->bag_size[node] = kept;
}

static void found_push(Found *found, int32_t *n_found, int32_t keep, Found item) {
    /* a min-heap on value (then label index) of the best `keep` complete labels */
    if (*n_found < keep) {
        int32_t i = (*n_found)++;
        while (i > 0) {
            int32_t up = (i - 1) / 2;
            if (found[up].value < item.value ||
                (found[up].value == item.value && found[up].label < item.label)) break;
            found[i] = found[up];
            i = up;
        }
        found[i] = item;
        return;
    }
    if (!(item.value > found[0].value)) return;
    int32_t i = 0, n = *n_found;
    for (;;) {
        int32_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && (found[child + 1].value < found[child].value ||
                              (found[child + 1].value == found[child].value &&
                               found[child + 1].label < found[child].label)))
            child++;
        if (found[child].value > item.value ||
            (found[child].value == item.value && found[child].label > item.label)) break;
        found[i] = found[child];
        i = child;
    }
    found[i] = item;
}

/* Candidates for heuristic pricing: the `breadth` open visits adding most reduced
 * priority per minute from place i, ties in active order (as Python's stable sort). */
static int32_t ranked_next(const State *s, int32_t i, uint64_t mask, int32_t *out, double *score) {
    int32_t n = 0;
    for (int32_t k = 0; k < s->n_active; k++) {
        int32_t v = s->active[k];
        if (!(mask >> v & 1)) n++;
    }
    const int32_t *row = s->travel + (size_t)i * s->n_places;
    int32_t kept = 0;
    for (int32_t k = 0; k < s->n_active; k++) {
        int32_t v = s->active[k];
        if (mask >> v & 1) continue;
        if (n <= s->breadth) {
            out[kept++] = v;
            continue;
        }
        double sc = -s->gain[v] / (double)(row[v] + s->service[v] + 1);
        if (kept == s->breadth && !(sc < score[kept - 1])) continue;
        int32_t at = kept < s->breadth ? kept++ : kept - 1;
        while (at > 0 && score[at - 1] > sc) {
            score[at] = score[at - 1];
            out[at] = out[at - 1];
            at--;
        }
        score[at] = sc;
        out[at] = v;
    }
    return kept;
}

/*
 * Returns 0 on success, 1 when out of memory. Outputs (see labelling.h): up to `keep`
 * routes, best first (route r: route_length[r] places after the base in
 * route_places[r * max_length ...], route_rest[...] whether the break was taken on the leg
 * into each, route_taken[r] whether the break was taken before the way back), their
 * values, the bound (exact only), the number of labels and whether the search finished.
 */
int provide_best_routes(ProvidePricingCall *call) {
    /* The fields under the names the algorithm below uses. */
    const int32_t n_places = call->n_places;
    const int32_t *travel = call->travel, *service = call->service;
    const int32_t *win_offset = call->win_offset, *win_start = call->win_start;
    const int32_t *win_end = call->win_end;
    const int32_t *oor_offset = call->oor_offset, *oor_threshold = call->oor_threshold;
    const uint64_t *oor_mask = call->oor_mask;
    const double *gain = call->gain;
    const int32_t *active = call->active, n_active = call->n_active;
    const int32_t *density = call->density, n_density = call->n_density;
    const int32_t *weight = call->weight;
    const uint64_t *remember = call->remember, closed = call->closed;
    const int32_t shift_start = call->shift_start, shift_end = call->shift_end;
    const int32_t has_break = call->has_break, b_open = call->break_open;
    const int32_t b_close = call->break_close, pause = call->break_minutes;
    const int32_t exact = call->mode, breadth = call->breadth, keep = call->keep;
    const double floor_value = call->floor_value, deadline = call->deadline;
    const int64_t max_labels = call->max_labels, max_sets = call->max_sets;
    const double threshold = call->threshold;
    uint64_t *sets = call->sets;
    const int32_t max_length = call->max_length;
    double *route_value = call->route_value;
    int32_t *route_length = call->route_length, *route_places = call->route_places;
    uint8_t *route_rest = call->route_rest, *route_taken = call->route_taken;
    int64_t *n_sets = &call->n_sets, *labels_made = &call->labels_made;
    int32_t *n_routes = &call->n_routes, *finished = &call->finished;
    double *bound = &call->bound;
    *n_sets = 0;
    *n_routes = 0;
    *bound = 0.0;
    *labels_made = 0;
    *finished = 0;
    State s;
    memset(&s, 0, sizeof s);
    s.n_places = n_places;
    s.end = n_places - 1;
    s.travel = travel; s.service = service;
    s.win_offset = win_offset; s.win_start = win_start; s.win_end = win_end;
    s.oor_offset = oor_offset; s.oor_threshold = oor_threshold; s.oor_mask = oor_mask;
    s.remember = remember; s.gain = gain; s.active = active; s.n_active = n_active;
    s.density = density; s.n_density = n_density; s.weight = weight; s.closed = closed;
    s.shift_start = shift_start; s.shift_end = shift_end; s.has_break = has_break;
    s.b_open = b_open; s.b_close = b_close; s.pause = pause;
    s.mode = exact; s.breadth = breadth; s.deadline = deadline;
    s.bag = calloc((size_t)n_places, sizeof(int32_t *));
    s.bag_size = calloc((size_t)n_places, sizeof(int32_t));
    s.bag_cap = calloc((size_t)n_places, sizeof(int32_t));
    Found *found = calloc((size_t)(keep > 0 ? keep : 1), sizeof(Found));
    int32_t *candidates = malloc((size_t)(n_active + 1) * sizeof(int32_t));
    double *scores = malloc((size_t)(n_active + 1) * sizeof(double));
    int32_t n_found = 0;
    int status = 0;
    if (!s.bag || !s.bag_size || !s.bag_cap || !found || !candidates || !scores) {
        status = 1;
        goto done;
    }
    const int32_t end = s.end;
    double best = floor_value;
    uint64_t start_mask = mask_after(&s, 0, shift_start, closed);
    int first_taken = !has_break;
    if (exact != HEURISTIC) s.ahead = completion_table(&s, exact == ENUMERATE);
    Label first = {0, shift_start, -1, 0, 0.0,
                   open_bound(&s, 0, shift_start, start_mask, first_taken),
                   start_mask, 0, (uint8_t)first_taken, 0, 1};
    const int enumerate = exact == ENUMERATE;
    const double low = enumerate ? threshold - EPSILON : 0.0;
    *n_sets = 0;
    add_label(&s, first);
    *finished = 1;
    int64_t popped = 0;
    while (s.n_heap > 0 && !s.failed) {
        popped++;
        if ((popped % 64 == 0 && deadline > 0 && now_seconds() > deadline) ||
            (max_labels > 0 && s.n_labels > max_labels)) {
            *finished = 0;
            break;
        }
        Entry top = heap_pop(&s);
        Label label = s.labels[top.label];
        if (!label.alive) continue;
        if (enumerate ? label.value + label.open_value < low
                      : label.value + label.open_value <= best + EPSILON)
            continue;
        int32_t i = label.node, ready = label.ready;
        double value = label.value;
        uint64_t mask = label.mask;
        int taken = label.taken;
        const int32_t *row = travel + (size_t)i * n_places;
        int can_rest = !taken && (ready > b_open ? ready : b_open) <= b_close;
        int32_t back;
        if (taken) back = ready + row[end];
        else {
            int32_t arrive = ready + row[end];
            back = (arrive > b_open ? arrive : b_open) + pause;
        }
        if ((taken || can_rest) && back <= shift_end && enumerate) {
            if (value >= low) {
                if (*n_sets == max_sets) {
                    *finished = 0; /* too many: the caller cannot use a partial list */
                    break;
                }
                sets[(*n_sets)++] = label.visited;
            }
        } else if ((taken || can_rest) && back <= shift_end) {
            Found item = {value, top.label};
            found_push(found, &n_found, keep, item);
            if (n_found == keep && found[0].value > best) best = found[0].value;
        }
        if (label.depth >= n_active) continue;
        int32_t n_candidates;
        if (exact) {
            memcpy(candidates, active, (size_t)n_active * sizeof(int32_t));
            n_candidates = n_active;
        } else {
            n_candidates = ranked_next(&s, i, mask, candidates, scores);
        }
        for (int32_t c = 0; c < n_candidates; c++) {
            int32_t v = candidates[c];
            if (mask >> v & 1) continue;
            for (int rest = 0; rest <= can_rest; rest++) {
                int32_t arrive = ready + row[v];
                if (rest) arrive = (arrive > b_open ? arrive : b_open) + pause;
                int32_t begin = -1;
                for (int32_t w = win_offset[v]; w < win_offset[v + 1]; w++) {
                    if (arrive <= win_end[w]) {
                        begin = win_start[w] > arrive ? win_start[w] : arrive;
                        break;
                    }
                }
                if (begin < 0) continue;
                int32_t done = begin + service[v];
                int now_taken = taken || rest;
                int32_t home = travel[(size_t)v * n_places + end];
                if (now_taken) {
                    if (done + home > shift_end) continue;
                } else {
                    int32_t resume = done > b_open ? done : b_open;
                    int32_t via = done + home > b_open ? done + home : b_open;
                    if (resume > b_close || via + pause > shift_end) continue;
                }
                double walk = walk_bound(&s, v, done);
                if (enumerate ? value + gain[v] + walk < low
                              : value + gain[v] + walk <= best + EPSILON)
                    continue; /* the cheap bound already rules it out */
                uint64_t new_mask = mask_after(
                    &s, v, done, (mask & remember[v]) | closed | ((uint64_t)1 << v));
                double knapsack = reach(&s, done, new_mask, now_taken);
                double extra = walk < knapsack ? walk : knapsack;
                if (enumerate ? value + gain[v] + extra >= low
                              : value + gain[v] + extra > best + EPSILON) {
                    Label next = {v, done, top.label, label.depth + 1, value + gain[v], extra,
                                  new_mask, label.visited | ((uint64_t)1 << v),
                                  (uint8_t)now_taken, (uint8_t)rest, 1};
                    add_label(&s, next);
                    if (s.failed) break;
                }
            }
        }
    }
    if (s.failed) {
        status = 1;
        goto done;
    }
    /* best first */
    Found ranked[64];
    int32_t n_ranked = 0;
    Found *pool = found;
    int32_t n_pool = n_found;
    while (n_pool > 0 && n_ranked < 64) {
        int32_t pick = 0;
        for (int32_t k = 1; k < n_pool; k++)
            if (pool[k].value > pool[pick].value ||
                (pool[k].value == pool[pick].value && pool[k].label > pool[pick].label))
                pick = k;
        ranked[n_ranked++] = pool[pick];
        pool[pick] = pool[--n_pool];
    }
    int32_t out = 0;
    for (int32_t r = 0; r < n_ranked; r++) {
        if (!(ranked[r].value > floor_value + EPSILON)) continue;
        int32_t chain[128];
        int32_t length = 0;
        for (int32_t at = ranked[r].label; at >= 0 && length < 128; at = s.labels[at].parent)
            chain[length++] = at;
        /* chain[length - 1] is the base; the places after it, in order */
        int32_t places = length - 1;
        if (places > max_length) places = max_length;
        for (int32_t k = 0; k < places; k++) {
            const Label *item = &s.labels[chain[length - 2 - k]];
            route_places[(size_t)out * max_length + k] = item->node;
            route_rest[(size_t)out * max_length + k] = item->rest;
        }
        route_length[out] = places;
        route_taken[out] = s.labels[ranked[r].label].taken;
        route_value[out] = ranked[r].value;
        out++;
    }
    *n_routes = out;
    if (exact) {
        double top = floor_value;
        for (int32_t k = 0; k < n_ranked; k++)
            if (ranked[k].value > top) top = ranked[k].value;
        for (int64_t k = 0; k < s.n_heap; k++) {
            const Label *pending = &s.labels[s.heap[k].label];
            if (pending->alive && pending->value + pending->open_value > top)
                top = pending->value + pending->open_value;
        }
        *bound = top;
    }
    *labels_made = s.n_labels;
done:
    for (int32_t k = 0; k < n_places && s.bag; k++) free(s.bag[k]);
    free(s.bag);
    free(s.bag_size);
    free(s.bag_cap);
    free(s.labels);
    free(s.heap);
    free(s.slots);
    free(s.ahead);
    free(found);
    free(candidates);
    free(scores);
    return status;
}
