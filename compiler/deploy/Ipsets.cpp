#include "deploy/Ipsets.hpp"

#include <algorithm>
#include <set>

namespace netsep::deploy {

namespace {

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            ++i;
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r')
            ++j;
        if (j > i)
            out.push_back(line.substr(i, j - i));
        i = j;
    }
    return out;
}

bool plainName(std::string_view n) {
    // ipset takes 31 characters; the staging copy needs room for its suffix.
    return !n.empty() && n.size() + kIpsetStaging.size() <= 31 &&
           std::all_of(n.begin(), n.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '.';
           });
}

bool addressText(std::string_view m) {
    return !m.empty() && std::all_of(m.begin(), m.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
               c == ':' || c == '.' || c == '/';
    });
}

bool number(std::string_view s) {
    return !s.empty() && s.size() <= 10 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A host member as `ipset save` prints it: without /32 or /128.
std::string memberText(std::string_view m) {
    std::string_view full = m.find(':') != std::string_view::npos ? "/128" : "/32";
    if (m.size() > full.size() && m.substr(m.size() - full.size()) == full)
        m.remove_suffix(full.size());
    return std::string(m);
}

} // namespace

int IpsetState::familyOf(const Set& s) {
    return s.type.find(" family inet6") != std::string::npos ? 1 : 0;
}

std::string IpsetState::canonical() const {
    std::string out;
    for (const auto& [name, s] : sets) {
        out += "create " + name + " " + s.type + "\n";
        for (const auto& m : s.members)
            out += "add " + name + " " + m + "\n";
    }
    return out;
}

std::optional<IpsetState> IpsetState::parse(std::string_view text, std::string& error) {
    IpsetState st;
    std::size_t n = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++n;
        auto w = words(line);
        if (w.empty() || w.front().front() == '#')
            continue;
        const std::string at = "line " + std::to_string(n) + ": ";
        if (w.size() < 2 || !plainName(w[1])) {
            error = at + "not a `create` or `add` of a plainly named set";
            return std::nullopt;
        }
        const std::string name(w[1]);
        if (w[0] == "create") {
            // hash:net family inet|inet6, then numeric options.
            if (w.size() < 5 || w[2] != "hash:net" || w[3] != "family" ||
                (w[4] != "inet" && w[4] != "inet6") || w.size() % 2 == 0) {
                error = at + "only `create NAME hash:net family inet|inet6 ...` sets are netsep's";
                return std::nullopt;
            }
            std::string type = "hash:net family " + std::string(w[4]);
            for (std::size_t i = 5; i + 1 < w.size(); i += 2) {
                static const std::set<std::string_view> kTuning = {"hashsize", "bucketsize",
                                                                   "initval"};
                if (w[i] == "maxelem" && number(w[i + 1]))
                    type += " maxelem " + std::string(w[i + 1]);
                else if (!kTuning.count(w[i])) {
                    error = at + "unknown set option `" + std::string(w[i]) + "`";
                    return std::nullopt;
                }
            }
            if (!st.sets.emplace(name, Set{type, {}}).second) {
                error = at + "set " + name + " is created twice";
                return std::nullopt;
            }
        } else if (w[0] == "add") {
            auto it = st.sets.find(name);
            if (w.size() != 3 || it == st.sets.end() || !addressText(w[2])) {
                error = at + "`add` needs a set created above and one address or prefix";
                return std::nullopt;
            }
            it->second.members.push_back(memberText(w[2]));
        } else {
            error = at + "`" + std::string(w[0]) + "` is not a command netsep's sets use";
            return std::nullopt;
        }
    }
    for (auto& [name, s] : st.sets) {
        std::sort(s.members.begin(), s.members.end());
        s.members.erase(std::unique(s.members.begin(), s.members.end()), s.members.end());
    }
    return st;
}

std::string IpsetState::ownedLines(std::string_view save, const std::vector<std::string>& prefixes,
                                   const std::vector<std::string>& names) {
    std::string out;
    std::size_t pos = 0;
    while (pos < save.size()) {
        std::size_t end = save.find('\n', pos);
        if (end == std::string_view::npos)
            end = save.size();
        std::string_view line = save.substr(pos, end - pos);
        pos = end + 1;
        auto w = words(line);
        if (w.size() < 2)
            continue;
        const std::string name(w[1]);
        bool mine = std::find(names.begin(), names.end(), name) != names.end() ||
                    std::any_of(prefixes.begin(), prefixes.end(),
                                [&](const std::string& p) { return name.rfind(p, 0) == 0; });
        if (mine) {
            out += line;
            out += '\n';
        }
    }
    return out;
}

std::string IpsetState::restoreInput(std::string_view suffix) const {
    std::string out;
    for (const auto& [name, s] : sets) {
        const std::string copy = name + std::string(suffix);
        out += "create " + copy + " " + s.type + "\n";
        for (const auto& m : s.members)
            out += "add " + copy + " " + m + "\n";
    }
    return out;
}

std::string checkIpsetInput(const std::string& text, const std::string& entry) {
    std::string error;
    auto st = IpsetState::parse(text, error);
    if (!st)
        return error;
    if (text.size() < 6 || text.compare(text.size() - 6, 6, "# end\n") != 0)
        return "incomplete: it does not end with the line \"# end\"";
    if (entry.empty())
        return "the rules name no netsep entry chain, so no set can be netsep's";
    for (const auto& [name, s] : st->sets)
        if (name.rfind(entry + "_", 0) != 0)
            return "set " + name + " is not this firewall's (its sets are named " + entry + "_...)";
    return {};
}

} // namespace netsep::deploy
