#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

struct InterfaceDecl {
    Word name;
    Word zone;
};

struct FirewallDecl {
    Word name;
    WordList backends;
    std::vector<InterfaceDecl> interfaces;
    std::optional<Word> identityEnforcedBy;
    std::optional<Word> forwardPolicy; // forward-policy VALUE
    SourceSpan span;
};

} // namespace netsep::ast
