#pragma once
#include "diag/DiagnosticEngine.hpp"

#include <CommonTokenStream.h>

class NetsepParser; // generated, global namespace

namespace netsep {

// Reports the syntax errors of a file that failed to parse, in plain words
// ("missing ',' before ...", "'{' of zone 'dmz' is never closed"), one per
// statement, at most 20 per file. Statements are parsed one at a time with
// the generated parser; at the first error in a statement the rest of it is
// skipped -- to the '}' that closes its block, or to the next statement
// keyword that starts a line -- so a broken statement never produces a
// second, consequential error and every other statement is still checked.
void reportSyntaxErrors(uint32_t fileId, antlr4::CommonTokenStream& tokens, NetsepParser& parser,
                        DiagnosticEngine& diags);

} // namespace netsep
