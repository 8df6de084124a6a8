#pragma once
#include "ast/Program.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "model/Policy.hpp"

namespace netsep::sema {

// Resolves names, validates atoms (CIDRs, ports, dates, kinds), computes
// longest-prefix address ownership and rejects duplicate, undefined and
// overlapping definitions. Returns false when any error was reported; `out`
// is then incomplete and must not be used.
bool buildPolicy(const ast::Program& program, DiagnosticEngine& diags, model::Policy& out);

} // namespace netsep::sema
