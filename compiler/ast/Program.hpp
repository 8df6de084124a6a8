#pragma once
#include "ast/ExpectDecl.hpp"
#include "ast/FirewallDecl.hpp"
#include "ast/GroupDecl.hpp"
#include "ast/IdentityDecl.hpp"
#include "ast/KillSwitchDecl.hpp"
#include "ast/LetterDecl.hpp"
#include "ast/PolicyDecl.hpp"
#include "ast/RuleDecl.hpp"
#include "ast/SaasDecl.hpp"
#include "ast/ServiceDecl.hpp"
#include "ast/WaiveDecl.hpp"
#include "ast/ZoneDecl.hpp"

#include <vector>

namespace netsep::ast {

// All statements of a policy and its includes, in source order.
struct Program {
    std::vector<PolicyDecl> policies;
    std::vector<ServiceDecl> services;
    std::vector<ZoneDecl> zones;
    std::vector<GroupDecl> groups;
    std::vector<IdentityDecl> identities;
    std::vector<SaasDecl> saas;
    std::vector<RuleDecl> rules;
    std::vector<FirewallDecl> firewalls;
    std::vector<ExpectDecl> expects;
    std::vector<WaiveDecl> waivers;
    std::vector<KillSwitchDecl> killSwitches;
    std::vector<LetterDecl> letters;
};

} // namespace netsep::ast
