#include "deploy/IptablesChains.hpp"

#include <algorithm>

namespace netsep::deploy {

namespace {

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view l = text.substr(0, nl);
        while (!l.empty() && (l.back() == '\r' || l.back() == ' '))
            l.remove_suffix(1);
        out.push_back(l);
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

bool isBuiltin(std::string_view c) {
    return c == "INPUT" || c == "FORWARD" || c == "OUTPUT";
}

// The chain a rule jumps or goes to ("" when its target is not a chain name
// of this table, e.g. ACCEPT or LOG).
std::string jumpTarget(const std::vector<std::string>& words) {
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
        if (words[i] == "-j" || words[i] == "--jump" || words[i] == "-g" || words[i] == "--goto")
            return words[i + 1];
    return {};
}

// "-A CHAIN ..." -> CHAIN
std::string_view ruleChain(std::string_view line) {
    std::string_view rest = line.substr(3);
    return rest.substr(0, rest.find(' '));
}

std::string policyOf(std::string_view decl) {
    // ":FORWARD DROP [0:0]"
    auto sp = decl.find(' ');
    if (sp == std::string_view::npos)
        return {};
    std::string_view rest = decl.substr(sp + 1);
    return std::string(rest.substr(0, rest.find(' ')));
}

} // namespace

std::vector<std::string> ruleWords(std::string_view line) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ')
            ++i;
        if (i >= line.size())
            break;
        std::string w;
        bool quoted = false;
        while (i < line.size() && (quoted || line[i] != ' ')) {
            char c = line[i];
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < line.size()) {
                w += line[++i];
            } else {
                w += c;
            }
            ++i;
        }
        out.push_back(std::move(w));
    }
    return out;
}

std::string entryChainOf(const std::set<std::string>& chains) {
    if (chains.empty())
        return {};
    // The shortest name is the only candidate.
    const std::string* shortest = &*chains.begin();
    for (const auto& c : chains)
        if (c.size() < shortest->size())
            shortest = &c;
    for (const auto& c : chains)
        if (c != *shortest && c.rfind(*shortest + "_", 0) != 0)
            return {};
    return *shortest;
}

std::string ruleTarget(std::string_view line) {
    return jumpTarget(ruleWords(line));
}

bool IptablesOwnership::owns(const std::string& chain) const {
    return chains.count(chain) ||
           (!entry.empty() && (chain == entry || chain.rfind(entry + "_", 0) == 0));
}

void IptablesOwnership::add(const IptablesOwnership& o) {
    chains.insert(o.chains.begin(), o.chains.end());
    if (entry.empty())
        entry = o.entry;
    forwardPolicy = forwardPolicy || o.forwardPolicy;
    forwardWhole = forwardWhole || o.forwardWhole;
}

IptablesOwnership IptablesOwnership::of(std::string_view input) {
    IptablesOwnership o;
    bool declaresForward = false, flushesForward = false;
    for (auto l : splitLines(input)) {
        while (!l.empty() && (l.front() == ' ' || l.front() == '\t'))
            l.remove_prefix(1);
        if (l.empty() || l.front() == '#' || l.front() == '*' || l == "COMMIT")
            continue;
        if (l.front() == ':') {
            std::string_view name = l.substr(1, l.find(' ') - 1);
            if (name == "FORWARD")
                declaresForward = true;
            else if (!isBuiltin(name))
                o.chains.insert(std::string(name));
            continue;
        }
        auto words = ruleWords(l);
        if (words.size() < 2)
            continue;
        if (words[0] == "-F" && words[1] == "FORWARD")
            flushesForward = true;
        if (!isBuiltin(words[1]))
            o.chains.insert(words[1]);
    }
    o.forwardWhole = declaresForward && flushesForward;
    o.forwardPolicy = declaresForward;
    o.entry = entryChainOf(o.chains);
    return o;
}

IptablesOwnership IptablesChains::ownership() const {
    IptablesOwnership o;
    o.forwardWhole = forwardWhole;
    o.forwardPolicy = !forwardPolicy.empty();
    for (const auto& [name, rules] : chains)
        o.chains.insert(name);
    o.entry = entryChainOf(o.chains);
    return o;
}

std::string IptablesChains::canonical() const {
    std::string out;
    if (!forwardPolicy.empty())
        out += ":FORWARD " + forwardPolicy + (forwardWhole ? " all-rules" : "") + "\n";
    for (const auto& [name, rules] : chains)
        out += ":" + name + "\n";
    for (const auto& r : forwardRules)
        out += r + "\n";
    for (const auto& [name, rules] : chains)
        for (const auto& r : rules)
            out += r + "\n";
    return out;
}

std::optional<IptablesChains> IptablesChains::parseCanonical(std::string_view text,
                                                             std::string& error) {
    IptablesChains c;
    for (auto l : splitLines(text)) {
        if (l.empty())
            continue;
        if (l.front() == ':') {
            auto sp = l.find(' ');
            std::string name(l.substr(1, sp == std::string_view::npos ? l.size() - 1 : sp - 1));
            if (name == "FORWARD") {
                c.forwardPolicy = policyOf(l);
                c.forwardWhole = l.size() > 10 && l.substr(l.size() - 10) == " all-rules";
            } else {
                c.chains[name];
            }
            continue;
        }
        if (l.rfind("-A ", 0) != 0) {
            error = "bad line in an iptables snapshot: " + std::string(l.substr(0, 80));
            return std::nullopt;
        }
        std::string chain(ruleChain(l));
        if (chain == "FORWARD") {
            c.forwardRules.emplace_back(l);
            continue;
        }
        auto it = c.chains.find(chain);
        if (it == c.chains.end()) {
            error = "iptables snapshot: rule of an undeclared chain " + chain;
            return std::nullopt;
        }
        it->second.emplace_back(l);
    }
    return c;
}

std::optional<IptablesChains> IptablesChains::extract(std::string_view save,
                                                      const IptablesOwnership& ownedIn,
                                                      std::string& error) {
    std::set<std::string> userChains;
    std::map<std::string, std::vector<std::string>> rules;
    std::string forwardPolicy = "ACCEPT";
    bool inFilter = false;
    for (auto l : splitLines(save)) {
        if (l.empty() || l.front() == '#')
            continue;
        if (l.front() == '*') {
            inFilter = l == "*filter";
            continue;
        }
        if (!inFilter || l == "COMMIT")
            continue;
        if (l.front() == ':') {
            std::string name(l.substr(1, l.find(' ') - 1));
            if (name == "FORWARD")
                forwardPolicy = policyOf(l);
            else if (!isBuiltin(name))
                userChains.insert(name);
            continue;
        }
        if (l.rfind("-A ", 0) != 0) {
            error = "unexpected line in iptables-save output: " + std::string(l.substr(0, 80));
            return std::nullopt;
        }
        rules[std::string(ruleChain(l))].emplace_back(l);
    }

    // Owned chains that exist, then every chain they lead to.
    IptablesChains c;
    c.forwardWhole = ownedIn.forwardWhole;
    std::vector<std::string> work;
    for (const auto& name : userChains)
        if (ownedIn.owns(name))
            work.push_back(name);
    if (c.forwardWhole)
        for (const auto& r : rules["FORWARD"]) {
            std::string t = jumpTarget(ruleWords(r));
            if (userChains.count(t))
                work.push_back(t);
        }
    while (!work.empty()) {
        std::string name = std::move(work.back());
        work.pop_back();
        if (c.chains.count(name))
            continue;
        auto& mine = c.chains[name];
        mine = rules[name];
        for (const auto& r : mine) {
            std::string t = jumpTarget(ruleWords(r));
            if (userChains.count(t) && !c.chains.count(t))
                work.push_back(t);
        }
    }
    if (ownedIn.forwardPolicy || c.forwardWhole)
        c.forwardPolicy = forwardPolicy;
    if (c.forwardWhole) {
        c.forwardRules = rules["FORWARD"];
    } else {
        for (const auto& r : rules["FORWARD"])
            if (c.chains.count(jumpTarget(ruleWords(r))))
                c.forwardRules.push_back(r);
    }
    return c;
}

std::string iptablesTransition(const IptablesChains& live, const IptablesChains& target) {
    std::string out = "*filter\n";
    // Declaring a chain creates it, or (with --noflush) empties it.
    // Under --noflush, declaring FORWARD sets its policy and keeps its rules.
    if (!target.forwardPolicy.empty())
        out += ":FORWARD " + target.forwardPolicy + " [0:0]\n";
    for (const auto& [name, rules] : target.chains)
        out += ":" + name + " - [0:0]\n";
    std::vector<std::string> gone;
    for (const auto& [name, rules] : live.chains)
        if (!target.chains.count(name))
            gone.push_back(name);
    for (const auto& name : gone)
        out += "-F " + name + "\n";
    if (target.forwardWhole) {
        out += "-F FORWARD\n";
    } else {
        // netsep's jumps go; the host's FORWARD rules stay. With a whole
        // FORWARD live and only jumps wanted, the jumps into netsep chains
        // are netsep's part: the same rule.
        for (const auto& r : live.forwardRules) {
            auto words = ruleWords(r);
            std::string t = jumpTarget(words);
            if (!live.forwardWhole || live.chains.count(t))
                out += "-D" + r.substr(2) + "\n";
        }
    }
    for (const auto& name : gone)
        out += "-X " + name + "\n";
    for (const auto& [name, rules] : target.chains)
        for (const auto& r : rules)
            out += r + "\n";
    if (target.forwardWhole) {
        for (const auto& r : target.forwardRules)
            out += r + "\n";
    } else {
        int pos = 1;
        for (const auto& r : target.forwardRules)
            out += "-I FORWARD " + std::to_string(pos++) +
                   r.substr(std::string("-A FORWARD").size()) + "\n";
    }
    out += "COMMIT\n";
    return out;
}

} // namespace netsep::deploy
