#pragma once
#include "ast/Word.hpp"

namespace netsep::ast {

// group NAME in ZONE { addresses }
struct GroupDecl {
    Word name;
    Word zone;
    WordList addresses;
    SourceSpan span;
};

} // namespace netsep::ast
