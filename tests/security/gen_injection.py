#!/usr/bin/env python3
"""Writes the policies of injection.sh into DIR.

benign/policy.nsp     the reference: plain strings and names
hostile/...           every string field carries a payload of quotes,
                      backslashes, shell and firewall metacharacters and
                      control characters; the rules live in an included file
                      under a directory whose name is a payload too, and the
                      top-level file name contains a newline
names/policy.nsp      every name uses the unusual characters WORD allows
Each payload carries a marker INJ<n> so the test can find where it landed.
"""
import os
import sys

out = sys.argv[1]

# Everything a STRING may hold: any character but a raw quote, backslash or
# line break, plus the escapes \" and \\.
PAYLOAD = ('\\" ; accept ; drop } { # \\\\ $(touch /tmp/netsep-pwn) `id` | & > < \' */ /* '
           '-j ACCEPT -A INPUT\t\x0b\x0c\x1b[2J\x07\u0085\u2028\u2029\u009b31m ')

HEAD = '''policy inj {{ owner {s} }}
service https tcp/443
service ssh tcp/22
service pg tcp/5432
zone internet {{ kind internet level open networks 0.0.0.0/0, ::/0 }}
zone dmz {{ kind dmz level open networks 192.0.2.0/24, 2001:db8:2::/64 }}
zone app {{ kind internal level sensitive networks 10.1.0.0/16 }}
zone core {{ kind datacenter level classified networks 10.10.0.0/16 crown-jewel }}
zone soc {{ kind internal level sensitive networks 10.20.0.0/24 }}
zone scan {{ kind internal level sensitive networks 10.21.0.0/28 isolated }}
zone admin {{ kind admin level sensitive networks 10.30.0.0/24 }}
group {web} in dmz {{ 192.0.2.10, 2001:db8:2::10 }}
group scanners in scan {{ 10.21.0.0/29 }}
identity analyst {{ idp {s} group {s} device managed mfa required }}
saas sec-ai {{ provider {s} fqdn api.sec-ai.example networks 198.51.100.0/24
  screening {s} on 2026-05-30 }}
'''
RULES = '''access {webin} {{ from internet to {web} service https log justification {s} owner {s} }}
access web-app {{ from {web} to app service https log justification {s} owner {s} }}
access app-db {{ from app to core service pg log justification {s} owner {s} }}
access triage {{ from soc as analyst to core service https log justification {s} owner {s} }}
access admin-ssh {{ from admin to app, core service ssh log justification {s} owner {s} }}
deny {telnet} {{ from any to any service tcp/23 }}
exception ai-scan {{ from scanners to sec-ai service https purpose vulnerability-assessment
  basis no-action-letter {s} issued 2026-06-01 expires 2027-05-31
  approved-by {s} kill-switch {ks} log justification {s} owner {s} }}
firewall {fw} {{
  backend nftables, iptables, cisco-asa, juniper-srx, paloalto, fortios
  interface eth0 zone internet on juniper-srx ge-0/0/0.0, paloalto ethernet1/1
  interface eth1 zone dmz on juniper-srx ge-0/0/1.0, paloalto ethernet1/2
  interface eth2 zone app on juniper-srx ge-0/0/2.0, paloalto ethernet1/3
  interface eth3 zone core on juniper-srx ge-0/0/3.0, paloalto ethernet1/4
  interface eth4 zone soc on juniper-srx ge-0/0/4.0, paloalto ethernet1/5
  interface eth5 zone scan on juniper-srx ge-0/0/5.0, paloalto ethernet1/6
  interface eth6 zone admin on juniper-srx ge-0/0/6.0, paloalto ethernet1/7
  identity-enforced-by corp-sso-proxy
}}
waive hop app -> core service pg until 2027-09-30 because {s} ticket {s}
'''


class Strings:
    """Formats every {s} with the next numbered string."""

    def __init__(self, hostile):
        self.n = 0
        self.hostile = hostile

    def __format__(self, spec):
        self.n += 1
        if self.hostile:
            return f'"{PAYLOAD}INJ{self.n} {PAYLOAD}"'
        return f'"text {self.n}"'


PLAIN = dict(web="web", webin="web-in", telnet="no-telnet", ks="ai-egress", fw="fw-all")
# WORD: [A-Za-z0-9_:*] then [A-Za-z0-9_.:/*] or '-' followed by one of them.
ODD = dict(web="w*b/*x:y.z", webin="*/in:*.", telnet="no*/tel:net./*", ks="ai/*eg*/ress:.",
           fw="fw.odd_-x")  # a firewall name is a directory name (E211)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def policy(hostile, names):
    s = Strings(hostile)
    return HEAD.format(s=s, **names), RULES.format(s=s, **names)


head, rules = policy(False, PLAIN)
write(f"{out}/benign/policy.nsp", head + rules)
head, rules = policy(False, ODD)
write(f"{out}/names/policy.nsp", head + rules)
head, rules = policy(True, PLAIN)
evil_dir = 'd" ; accept ; # $(id) `id` {x} */ /* \'q\\ INJDIR'
write(os.path.join(out, "hostile", evil_dir, "rules.nsp"), rules)
include = evil_dir.replace("\\", "\\\\").replace('"', '\\"')
write(os.path.join(out, "hostile", "top\n accept INJNL ; # *.nsp"),
      head + f'include "{include}/rules.nsp"\n')
