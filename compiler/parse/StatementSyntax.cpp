#include "parse/StatementSyntax.hpp"

namespace netsep::parse {

const std::vector<std::pair<std::string_view, std::string_view>>& statementForms() {
    static const std::vector<std::pair<std::string_view, std::string_view>> forms = {
        {"policy", "policy NAME { owner \"CONTACT\" }"},
        {"include", "include \"PATH\""},
        {"service", "service NAME CLAUSE, ... [no-pivot] [tls]"},
        {"zone", "zone NAME [in ZONE] { kind KIND level LEVEL networks CIDR, ... [crown-jewel] "
                 "[isolated] [quarantine-access] }"},
        {"group", "group NAME in ZONE { ADDRESS, ... }"},
        {"identity", "identity NAME { idp \"IDP\" group \"GROUP\" device POSTURE mfa SETTING }"},
        {"saas", "saas NAME { provider \"NAME\" fqdn DOMAIN, ... networks CIDR, ... screening "
                 "\"REF\" on DATE [behind ZONE] }"},
        {"access", "access NAME { from ENDPOINT, ... [as IDENTITY] to ENDPOINT, ... service "
                   "SERVICE, ... [log] justification \"TEXT\" owner \"TEAM\" }"},
        {"deny", "deny NAME { from ENDPOINT, ... to ENDPOINT, ... service SERVICE, ... [log] }"},
        {"exception", "exception NAME { from ENDPOINT, ... [as IDENTITY] to ENDPOINT, ... service "
                      "SERVICE, ... purpose PURPOSE basis \"LETTER\" expires DATE approved-by "
                      "\"ROLE\" kill-switch GROUP log }"},
        {"firewall", "firewall NAME { backend BACKEND, ... interface IFNAME zone ZONE "
                     "[on BACKEND IFNAME, ...] ... [identity-enforced-by NAME] "
                     "[forward-policy drop] }"},
        {"expect", "expect allow|deny|no-path FROM -> TO [service SERVICE, ...]"},
        {"waive", "waive hop FROM -> TO [service SERVICE, ...] until DATE because \"REASON\" "
                  "ticket \"TICKET\" [owner \"OWNER\"]"},
        {"letter",
         "letter \"ID\" { kind KIND [firm \"FIRM\"] issued DATE expires DATE scope { "
         "purpose PURPOSE, ... from ENDPOINT, ... [to SAAS, ...] [provider \"NAME\", ...] "
         "[service SERVICE, ...] } [document sha256 HEX] }"},
        {"kill-switch", "kill-switch GROUP engaged since DATE by \"WHO\" ticket \"TICKET\" "
                        "[reason \"TEXT\"]"},
    };
    return forms;
}

std::string_view statementForm(std::string_view keyword) {
    for (const auto& [key, form] : statementForms())
        if (key == keyword)
            return form;
    return {};
}

} // namespace netsep::parse
