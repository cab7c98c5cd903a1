/*
 * The one call into the compiled labelling (labelling.c): a single struct, declared here
 * once. This header is both the C file's include and cffi's declaration
 * (_labelling_build.py reads it, leaving out the lines that start with '#'), so the C
 * compiler checks the layout on both sides and Python sets every field by name
 * (native.py). Adding a field: add it here, then set it in native._run (native.py checks
 * that the names it sets are exactly the names declared here).
 *
 * Places are numbered 0 (the base at the start) .. n_places - 1 (the base at the end);
 * masks are bit sets of places (so at most 64 places); times are minutes.
 */
#ifndef PROVIDE_LABELLING_H
#define PROVIDE_LABELLING_H

#include <stdint.h>

enum {
    PROVIDE_PRICING_HEURISTIC = 0, /* few labels, good routes, no bound */
    PROVIDE_PRICING_EXACT = 1,     /* routes and an upper bound on any route */
    PROVIDE_PRICING_ENUMERATE = 2  /* every route worth at least `threshold`, as sets */
};

typedef struct {
    /* The team's network (read only). */
    int32_t n_places;
    const int32_t *travel;        /* n_places * n_places, row by row */
    const int32_t *service;       /* per place */
    const int32_t *win_offset;    /* windows of place i: win_offset[i] .. win_offset[i+1]-1 */
    const int32_t *win_start;
    const int32_t *win_end;
    const int32_t *oor_offset;    /* out of reach: thresholds of place i, as for windows */
    const int32_t *oor_threshold; /* sorted per place */
    const uint64_t *oor_mask;     /* leaving after a threshold closes these places */
    int32_t shift_start;
    int32_t shift_end;
    int32_t has_break;            /* 0 or 1 */
    int32_t break_open;           /* the break starts in break_open .. break_close */
    int32_t break_close;
    int32_t break_minutes;

    /* The prices of this call (read only). */
    const double *gain;           /* reduced priority per place */
    const int32_t *active;        /* the places considered */
    int32_t n_active;
    const int32_t *density;       /* active places by gain per minute of weight, best first */
    int32_t n_density;
    const int32_t *weight;        /* per place: service plus shortest leg in */
    const uint64_t *remember;     /* per place: the ng-memory mask (all ones: every visit) */
    uint64_t closed;              /* places not considered: they count as made */

    /* The search (read only). */
    int32_t mode;                 /* PROVIDE_PRICING_HEURISTIC, _EXACT or _ENUMERATE */
    int32_t breadth;              /* heuristic: visits tried from each label */
    double floor_value;           /* only routes worth more than this */
    int32_t keep;                 /* at most this many routes, 1 .. 64 */
    double deadline;              /* CLOCK_MONOTONIC seconds at which to stop; 0: none */
    int64_t max_labels;           /* stop after this many labels; 0: no limit */
    double threshold;             /* ENUMERATE: the worth a set's route must reach */

    /* Buffers the caller owns and the call fills. */
    uint64_t *sets;               /* ENUMERATE: room for max_sets masks */
    int64_t max_sets;
    int32_t max_length;           /* room per route in route_places and route_rest */
    double *route_value;          /* keep */
    int32_t *route_length;        /* keep */
    int32_t *route_places;        /* keep * max_length: the places after the base */
    uint8_t *route_rest;          /* keep * max_length: break taken on the leg in */
    uint8_t *route_taken;         /* keep: break taken before the way back */

    /* Written by the call. */
    int64_t n_sets;
    int32_t n_routes;
    double bound;                 /* exact modes: no route is worth more */
    int64_t labels_made;
    int32_t finished;             /* 1 if the search ran to the end */
} ProvidePricingCall;

/* Returns 0 on success, 1 when out of memory (the caller then prices in Python). */
int provide_best_routes(ProvidePricingCall *call);

#endif
