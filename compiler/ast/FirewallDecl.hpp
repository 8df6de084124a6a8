#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

// `on BACKEND NAME`: what BACKEND calls the interface.
struct InterfaceAlias {
    Word backend;
    Word name;
};

struct InterfaceDecl {
    Word name;
    Word zone;
    std::vector<InterfaceAlias> aliases;
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
