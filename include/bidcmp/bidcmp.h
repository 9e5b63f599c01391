/*
 * bidcmp/bidcmp.h - the umbrella header: everything a program using
 * libbidcmp needs.  See each module's header for its reference.
 */
#ifndef BIDCMP_H
#define BIDCMP_H

#include "error.h"
#include "money.h"
#include "units.h"
#include "quote.h"
#include "import.h"
#include "store.h"
#include "round.h"
#include "award.h"
#include "check.h"
#include "policy.h"
#include "audit.h"

#define BIDCMP_VERSION "0.1.0"

#endif
