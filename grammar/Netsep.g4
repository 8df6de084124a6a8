// The netsep policy language (.nsp). Structure only: atoms such as CIDRs,
// ports, dates and FQDNs are WORD tokens that sema validates, so a bad value
// gets a precise, located diagnostic instead of a token-level syntax error.
grammar Netsep;

file : statement* EOF ;

statement
    : policyStmt
    | includeStmt
    | serviceStmt
    | zoneStmt
    | groupStmt
    | identityStmt
    | saasStmt
    | ruleStmt
    | exceptionStmt
    | firewallStmt
    | expectStmt
    | waiveStmt
    | killSwitchStmt
    | letterStmt
    ;

policyStmt   : POLICY name LBRACE policyField* RBRACE ;
policyField  : OWNER STRING ;

includeStmt  : INCLUDE STRING ;

serviceStmt  : SERVICE name portSpec (COMMA portSpec)* serviceFlag* ;
portSpec     : WORD ;
serviceFlag  : NO_PIVOT | TLS ;

zoneStmt     : ZONE name (IN name)? LBRACE zoneField* RBRACE ;
zoneField
    : KIND WORD                         # zoneKind
    | LEVEL WORD                        # zoneLevel
    | NETWORKS WORD (COMMA WORD)*       # zoneNetworks
    | CROWN_JEWEL                       # zoneCrownJewel
    | ISOLATED                          # zoneIsolated
    | QUARANTINE_ACCESS                 # zoneQuarantineAccess
    ;

groupStmt    : GROUP name IN name LBRACE (WORD (COMMA WORD)*)? RBRACE ;

identityStmt : IDENTITY name LBRACE identityField* RBRACE ;
identityField
    : IDP STRING                        # identityIdp
    | GROUP STRING                      # identityGroup
    | DEVICE WORD                       # identityDevice
    | MFA WORD                          # identityMfa
    ;

saasStmt     : SAAS name LBRACE saasField* RBRACE ;
saasField
    : PROVIDER STRING                   # saasProvider
    | FQDN WORD (COMMA WORD)*           # saasFqdn
    | NETWORKS WORD (COMMA WORD)*       # saasNetworks
    | SCREENING STRING ON WORD          # saasScreening
    | BEHIND name                       # saasBehind
    ;

ruleStmt     : (ACCESS | DENY) name LBRACE ruleField* RBRACE ;
ruleField
    : FROM endpointList (AS name)?      # ruleFrom
    | TO endpointList                   # ruleTo
    | SERVICE serviceList               # ruleService
    | LOG                               # ruleLog
    | JUSTIFICATION STRING              # ruleJustification
    | OWNER STRING                      # ruleOwner
    ;

exceptionStmt : EXCEPTION name LBRACE exceptionField* RBRACE ;
exceptionField
    : FROM endpointList (AS name)?      # exceptionFrom
    | TO endpointList                   # exceptionTo
    | SERVICE serviceList               # exceptionService
    | PURPOSE WORD                      # exceptionPurpose
    | BASIS basis                       # exceptionBasis
    | EXPIRES WORD                      # exceptionExpires
    | APPROVED_BY STRING                # exceptionApprovedBy
    | KILL_SWITCH name                  # exceptionKillSwitch
    | LOG                               # exceptionLog
    | JUSTIFICATION STRING              # exceptionJustification
    | OWNER STRING                      # exceptionOwner
    ;
basis
    : STRING                                # basisLetter
    | NO_ACTION_LETTER STRING ISSUED WORD   # basisNoActionLetter
    | SANDBOX STRING (ISSUED WORD)?         # basisSandbox
    | SAAS_GENERAL                          # basisSaasGeneral
    ;

endpointList : endpoint (COMMA endpoint)* ;
endpoint     : ANY | name ;
serviceList  : ANY | serviceRef (COMMA serviceRef)* ;
serviceRef   : WORD ;

firewallStmt : FIREWALL name LBRACE firewallField* RBRACE ;
firewallField
    : BACKEND name (COMMA name)*        # firewallBackend
    | INTERFACE name ZONE name (ON interfaceAlias (COMMA interfaceAlias)*)?  # firewallInterface
    | IDENTITY_ENFORCED_BY name         # firewallIdentityEnforcedBy
    | FORWARD_POLICY WORD               # firewallForwardPolicy
    ;

// `on BACKEND NAME`: the interface's name on that backend (one policy may
// print nftables for a lab and juniper-srx for production).
interfaceAlias : name name ;

expectStmt   : EXPECT expectKind endpoint ARROW endpoint (SERVICE serviceList)? ;
expectKind   : ALLOW | DENY | NO_PATH ;

waiveStmt    : WAIVE HOP endpoint ARROW endpoint (SERVICE serviceList)?
               UNTIL WORD BECAUSE STRING TICKET STRING (OWNER STRING)? ;

// The document that grants exceptions their legal basis: an FSC no-action
// letter, a sandbox (innovative financial service) designation, or the
// firm's evaluation record under the general SaaS exception.
letterStmt   : LETTER STRING LBRACE letterField* RBRACE ;
letterField
    : KIND letterKind                   # letterKindField
    | FIRM STRING                       # letterFirm
    | ISSUED WORD                       # letterIssued
    | EXPIRES WORD                      # letterExpires
    | SCOPE LBRACE scopeField* RBRACE   # letterScope
    | DOCUMENT WORD WORD                # letterDocument
    ;
letterKind   : NO_ACTION_LETTER | SANDBOX | SAAS_GENERAL ;
scopeField
    : PURPOSE WORD (COMMA WORD)*        # scopePurpose
    | FROM endpointList                 # scopeFrom
    | TO endpointList                   # scopeTo
    | PROVIDER STRING (COMMA STRING)*   # scopeProvider
    | SERVICE serviceList               # scopeService
    ;

// kill-switch GROUP engaged since DATE by "WHO" ticket "ID" [reason "..."]
killSwitchStmt : KILL_SWITCH name ENGAGED SINCE WORD BY STRING TICKET STRING
                 (REASON STRING)? ;

name : WORD ;

// Keywords come before WORD so that an exact keyword wins the tie.
POLICY : 'policy' ;
INCLUDE : 'include' ;
SERVICE : 'service' ;
ZONE : 'zone' ;
GROUP : 'group' ;
IDENTITY : 'identity' ;
SAAS : 'saas' ;
ACCESS : 'access' ;
DENY : 'deny' ;
EXCEPTION : 'exception' ;
FIREWALL : 'firewall' ;
EXPECT : 'expect' ;
WAIVE : 'waive' ;
HOP : 'hop' ;
OWNER : 'owner' ;
NO_PIVOT : 'no-pivot' ;
TLS : 'tls' ;
KIND : 'kind' ;
LEVEL : 'level' ;
NETWORKS : 'networks' ;
CROWN_JEWEL : 'crown-jewel' ;
ISOLATED : 'isolated' ;
QUARANTINE_ACCESS : 'quarantine-access' ;
IN : 'in' ;
IDP : 'idp' ;
DEVICE : 'device' ;
MFA : 'mfa' ;
PROVIDER : 'provider' ;
FQDN : 'fqdn' ;
SCREENING : 'screening' ;
ON : 'on' ;
BEHIND : 'behind' ;
FROM : 'from' ;
TO : 'to' ;
AS : 'as' ;
LOG : 'log' ;
JUSTIFICATION : 'justification' ;
PURPOSE : 'purpose' ;
BASIS : 'basis' ;
NO_ACTION_LETTER : 'no-action-letter' ;
SANDBOX : 'sandbox' ;
SAAS_GENERAL : 'saas-general' ;
ISSUED : 'issued' ;
EXPIRES : 'expires' ;
APPROVED_BY : 'approved-by' ;
KILL_SWITCH : 'kill-switch' ;
BACKEND : 'backend' ;
INTERFACE : 'interface' ;
IDENTITY_ENFORCED_BY : 'identity-enforced-by' ;
ALLOW : 'allow' ;
NO_PATH : 'no-path' ;
UNTIL : 'until' ;
BECAUSE : 'because' ;
TICKET : 'ticket' ;
FORWARD_POLICY : 'forward-policy' ;
ENGAGED : 'engaged' ;
SINCE : 'since' ;
BY : 'by' ;
REASON : 'reason' ;
ANY : 'any' ;
LETTER : 'letter' ;
FIRM : 'firm' ;
SCOPE : 'scope' ;
DOCUMENT : 'document' ;

ARROW : '->' ;
LBRACE : '{' ;
RBRACE : '}' ;
COMMA : ',' ;

// Escapes are a backslash and any character but a line end; which ones
// mean something is checked when the string is read (E106).
STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
// A run of '-' must be followed by a word character, so 'a->b' lexes as
// a -> b while punycode ('xn--p1ai') is one word.
WORD : [A-Za-z0-9_:*] ( [A-Za-z0-9_.:/*] | '-'+ [A-Za-z0-9_.:/*] )* ;

COMMENT : '#' ~[\r\n]* -> channel(HIDDEN) ;
WS : [ \t\r\n\uFEFF]+ -> skip ;
// Anything else becomes one token so the parser reports it with a location.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;
OTHER : . ;
