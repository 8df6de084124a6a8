#pragma once
#include "diag/DiagnosticEngine.hpp"
#include "model/Policy.hpp"

namespace netsep::sema {

// `isolated` is an assumption, not a rule netsep emits: traffic between two
// hosts of one zone never crosses a firewall. The analysis relies on it
// wherever an isolated zone holds a group (the group and the rest of its
// zone are then not joined); each such zone gets a note (N301) saying what
// the network must enforce for the verdict to hold.
void noteIsolatedZones(const model::Policy& policy, DiagnosticEngine& diags);

} // namespace netsep::sema
