#pragma once
#include "ast/Word.hpp"

namespace netsep::ast {

// service NAME tcp/443, udp/53 [no-pivot] [tls]
struct ServiceDecl {
    Word name;
    WordList ports; // unparsed "proto/spec" atoms
    bool noPivot = false;
    bool tls = false;
    SourceSpan span;
};

} // namespace netsep::ast
