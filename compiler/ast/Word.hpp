#pragma once
#include "diag/SourceSpan.hpp"

#include <string>
#include <vector>

namespace netsep::ast {

// A name, literal or atom with the span it was written at.
struct Word {
    std::string text;
    SourceSpan span;
};

using WordList = std::vector<Word>;

} // namespace netsep::ast
