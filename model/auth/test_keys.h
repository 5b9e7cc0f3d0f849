// Keys for model/auth's tests only, generated once with the openssl CLI
// (and, for the RFC 6979 key, from the RFC's private scalar), plus the
// ECDSA key of upstream's jwt_test.go, whose key id upstream pins.
#pragma once

#include <string_view>

namespace sasim::model::auth::testing {

// Keys that did not sign the tokens under test: "other" in upstream's cases.
inline constexpr std::string_view kOtherRsaKeyPem = R"pem(-----BEGIN RSA PRIVATE KEY-----
MIIEpQIBAAKCAQEAtOpAxt0dj9qh/l5mfME9BxtmzAuxnspjzZdC8Kpm/rQgz6Jn
CHmK4yIqblAks7EMkxZ80QF3fDqSio8jsn/je3MJhG6y/GwriL/t2nrJSrW7tQCF
WZq9+ibGXSTR8JhL1z5SFG7giYwX2I+YrULfcONOelRyX4ythzxGJk7oRPwN4VvN
RByHv2Hd77d5Ha0TvVxn3GRoiDZv8VlBeHYXHyTMwi4ySS1WPtx5+3idPGh85LRR
fj1wnyDg+RFWu9GXMfBRNjqUzHlDmhJw3Oua4E2lM01j36nnXF+K6L5NBuDgMjv0
6W8QJlXLAQ6I790LlmXFwAg53zPpoPzr5+vL5QIDAQABAoIBAAKOc9tg3lfSd6sL
7kf8MA6qEbYM7UCIl3KdMlOLHjj3q9Cwo2LrMBinuoXus9IRN1OwbpOX1nZ8L7wY
VowMGBdovP1GK4PQddNbyPKR0nHakbw2oBZvzsLv6iorSMcs/myxzgBJanqvGYV/
I/cWJJOoYUsZEeOtQyTP0nrx7wDN2+KVdMiElWQ3RgkM8DXm5pDTirCHWi4EFAPT
xwKpIMBvb9NP6RHAnE08kDjwKtexkrqVNBTvsDtjpawUIEo4ql8p2+S87SVUBeUH
jgKsVZR4JEaZBjBjCcIAT2vlJZ5YwkLatWTgSh6bM5CYxJhVa9APdMlSAM/Es/Hn
Bc7zf/kCgYEA8KjqHk4Ay5uoKtHuYxd0zVPmwYFe3Oiag98N9daoxuAeHYLv+g9f
9PhetvGYSnjf9boVNnrOxrpSL8boWeLUY40lNSwHWMXLbczABhTVTYFToQhFvNJ1
lUBIpzKTh5sR1GZ6ucUCzs15CsOESL0LaJIW/98JWyPlPeHitavyATkCgYEAwHJs
d8wO5+T5vVjPq9lcYauFN8NLYRbXdj64EhT9gZJvCPkOVlupYfZunY72kVJ49Djm
SZ9zOW7lY4ZjxBsXh38K51pBFpdYVS1TycnblRcuVSSQ5DDe3OoPK7YxuWvL7e7S
+CFDIxVeuCQzVCSINA6fZUIa0ook8IyX3In7nA0CgYEAx6ze01YVAtqbpSuZh04m
81Xx2AvnEZNM4K1pf9gjIR9C3WmOgwPOsgqBS3kYynGQIOnMP++VMP3Wwx1eG3ZA
knjBrmRhlB5Is0l26ZTPhgcPxESA2DImrTcxEMi9732SRZDhstDri3qgO3YNg+yW
UqUjwBjmQmB+C+InoGSR3sECgYEAj4FDzRlHTDj82esuAPG258YlMu3Yee+0f6JJ
VIJ+f26YidJelJsJddlzpt4Ck18yfrsnTmMuYveE6nA+WO/y3cEoelhdDOGSpwGD
54c0zLpafHcl7GNc7NNEuM3FyoTNrwFWJF15WOIInbuw4t/TCS6WQcXHhpQo84+D
dpsWGskCgYEA2tyYJO94C3bwuyqzITZLLlMQV0mqPQRBtc5Q1bWZgBdmGwcBb9Oo
AOSmIv+JsZD8Z2mF6hve2fzuholXfV6jHa25T6EKriXYoZIQQxAo6MpbI7JCd4Zp
f1WECJQSNfxUl3GMc1gxQMNVyWiIo3TVnp4700EZhK4DWy2ZjwgyidU=
-----END RSA PRIVATE KEY-----
)pem";

inline constexpr std::string_view kOtherRsaKeyPkcs8Pem = R"pem(-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQC06kDG3R2P2qH+
XmZ8wT0HG2bMC7GeymPNl0Lwqmb+tCDPomcIeYrjIipuUCSzsQyTFnzRAXd8OpKK
jyOyf+N7cwmEbrL8bCuIv+3aeslKtbu1AIVZmr36JsZdJNHwmEvXPlIUbuCJjBfY
j5itQt9w4056VHJfjK2HPEYmTuhE/A3hW81EHIe/Yd3vt3kdrRO9XGfcZGiINm/x
WUF4dhcfJMzCLjJJLVY+3Hn7eJ08aHzktFF+PXCfIOD5EVa70Zcx8FE2OpTMeUOa
EnDc65rgTaUzTWPfqedcX4rovk0G4OAyO/TpbxAmVcsBDojv3QuWZcXACDnfM+mg
/Ovn68vlAgMBAAECggEAAo5z22DeV9J3qwvuR/wwDqoRtgztQIiXcp0yU4seOPer
0LCjYuswGKe6he6z0hE3U7Buk5fWdnwvvBhWjAwYF2i8/UYrg9B101vI8pHScdqR
vDagFm/Owu/qKitIxyz+bLHOAElqeq8ZhX8j9xYkk6hhSxkR461DJM/SevHvAM3b
4pV0yISVZDdGCQzwNebmkNOKsIdaLgQUA9PHAqkgwG9v00/pEcCcTTyQOPAq17GS
upU0FO+wO2OlrBQgSjiqXynb5LztJVQF5QeOAqxVlHgkRpkGMGMJwgBPa+UlnljC
Qtq1ZOBKHpszkJjEmFVr0A90yVIAz8Sz8ecFzvN/+QKBgQDwqOoeTgDLm6gq0e5j
F3TNU+bBgV7c6JqD3w311qjG4B4dgu/6D1/0+F628ZhKeN/1uhU2es7GulIvxuhZ
4tRjjSU1LAdYxcttzMAGFNVNgVOhCEW80nWVQEinMpOHmxHUZnq5xQLOzXkKw4RI
vQtokhb/3wlbI+U94eK1q/IBOQKBgQDAcmx3zA7n5Pm9WM+r2Vxhq4U3w0thFtd2
PrgSFP2Bkm8I+Q5WW6lh9m6djvaRUnj0OOZJn3M5buVjhmPEGxeHfwrnWkEWl1hV
LVPJyduVFy5VJJDkMN7c6g8rtjG5a8vt7tL4IUMjFV64JDNUJIg0Dp9lQhrSiiTw
jJfcifucDQKBgQDHrN7TVhUC2pulK5mHTibzVfHYC+cRk0zgrWl/2CMhH0LdaY6D
A86yCoFLeRjKcZAg6cw/75Uw/dbDHV4bdkCSeMGuZGGUHkizSXbplM+GBw/ERIDY
MiatNzEQyL3vfZJFkOGy0OuLeqA7dg2D7JZSpSPAGOZCYH4L4iegZJHewQKBgQCP
gUPNGUdMOPzZ6y4A8bbnxiUy7dh577R/oklUgn5/bpiJ0l6Umwl12XOm3gKTXzJ+
uydOYy5i94TqcD5Y7/LdwSh6WF0M4ZKnAYPnhzTMulp8dyXsY1zs00S4zcXKhM2v
AVYkXXlY4gidu7Di39MJLpZBxceGlCjzj4N2mxYayQKBgQDa3Jgk73gLdvC7KrMh
NksuUxBXSao9BEG1zlDVtZmAF2YbBwFv06gA5KYi/4mxkPxnaYXqG97Z/O6GiVd9
XqMdrblPoQquJdihkhBDECjoylsjskJ3hml/VYQIlBI1/FSXcYxzWDFAw1XJaIij
dNWenjvTQRmErgNbLZmPCDKJ1Q==
-----END PRIVATE KEY-----
)pem";

inline constexpr std::string_view kOtherRsaPublicKeyPkcs1Pem = R"pem(-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAtOpAxt0dj9qh/l5mfME9BxtmzAuxnspjzZdC8Kpm/rQgz6JnCHmK
4yIqblAks7EMkxZ80QF3fDqSio8jsn/je3MJhG6y/GwriL/t2nrJSrW7tQCFWZq9
+ibGXSTR8JhL1z5SFG7giYwX2I+YrULfcONOelRyX4ythzxGJk7oRPwN4VvNRByH
v2Hd77d5Ha0TvVxn3GRoiDZv8VlBeHYXHyTMwi4ySS1WPtx5+3idPGh85LRRfj1w
nyDg+RFWu9GXMfBRNjqUzHlDmhJw3Oua4E2lM01j36nnXF+K6L5NBuDgMjv06W8Q
JlXLAQ6I790LlmXFwAg53zPpoPzr5+vL5QIDAQAB
-----END RSA PUBLIC KEY-----
)pem";

inline constexpr std::string_view kOtherEcKeyPem = R"pem(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIEL/yfjjI2t+zSV2PqpGHN08/9Spu8XUPAxGSU5Pp2YmoAoGCCqGSM49
AwEHoUQDQgAEytweXP2+dqPFe3gh21Eoe0ZJUAw6TVEswPyc70RC2gasNBgSP9Bo
H4SXxLbVv4cZohfdkeceMnHz487aQMjM7g==
-----END EC PRIVATE KEY-----
)pem";

// `openssl ecparam -genkey` without -noout writes the parameters first.
inline constexpr std::string_view kEcKeyAfterParametersPem = R"pem(-----BEGIN EC PARAMETERS-----
BggqhkjOPQMBBw==
-----END EC PARAMETERS-----
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIEL/yfjjI2t+zSV2PqpGHN08/9Spu8XUPAxGSU5Pp2YmoAoGCCqGSM49
AwEHoUQDQgAEytweXP2+dqPFe3gh21Eoe0ZJUAw6TVEswPyc70RC2gasNBgSP9Bo
H4SXxLbVv4cZohfdkeceMnHz487aQMjM7g==
-----END EC PRIVATE KEY-----
)pem";

// pkg/serviceaccount/jwt_test.go: ecdsaPrivateKey, ecdsaPublicKey and
// ecdsaKeyID ("Fake value for testing").
inline constexpr std::string_view kUpstreamEcKeyPem = R"pem(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIEZmTmUhuanLjPA2CLquXivuwBDHTt5XYwgIr/kA1LtRoAoGCCqGSM49
AwEHoUQDQgAEH6cuzP8XuD5wal6wf9M6xDljTOPLX2i8uIp/C/ASqiIGUeeKQtX0
/IR3qCXyThP/dbCiHrF3v1cuhBOHY8CLVg==
-----END EC PRIVATE KEY-----
)pem";

inline constexpr std::string_view kUpstreamEcPublicKeyPem = R"pem(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEH6cuzP8XuD5wal6wf9M6xDljTOPL
X2i8uIp/C/ASqiIGUeeKQtX0/IR3qCXyThP/dbCiHrF3v1cuhBOHY8CLVg==
-----END PUBLIC KEY-----
)pem";

inline constexpr std::string_view kUpstreamEcKid = "SoABiieYuNx4UdqYvZRVeuC6SihxgLrhLy9peHMHpTc";

// RFC 6979 A.2.5: the P-256 key x = C9AFA9D8...120F6721 in SEC 1 form.
inline constexpr std::string_view kRfc6979KeyPem = R"pem(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIMmvqdhFunUWa1whV2ex1pNOUMPbNuibEnuKYisSD2choAoGCCqGSM49
AwEHoUQDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Z5A/4QCLi8
maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==
-----END EC PRIVATE KEY-----
)pem";

// Keys sasim cannot sign with.
inline constexpr std::string_view kEd25519KeyPem = R"pem(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEICgVJk0/IPIQzjhseGSdFjY8lC2U6FWjwQeKOKp2mvjE
-----END PRIVATE KEY-----
)pem";

inline constexpr std::string_view kP384KeyPem = R"pem(-----BEGIN EC PRIVATE KEY-----
MIGkAgEBBDDqMTOK/jkMNHRUb0vcEDp7LmkPr6sK7yx3/fwfzP+JkFRVpcxy2ler
DTYKWz61BJCgBwYFK4EEACKhZANiAASGL1ccdPBqsvqXedGpgdD8F9+LSi16LATr
TKNnTm808k5YJkxDpKQvIUsmNatFyORaM2cSup6hSPfuGZWzFpEoxCJ5DtvGK38O
LltVNjXroISgB3HDILoH0Q3qjAzYmJs=
-----END EC PRIVATE KEY-----
)pem";

}  // namespace sasim::model::auth::testing
