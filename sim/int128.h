// 128-bit integers for exact intermediate arithmetic (GCC/Clang extension;
// __extension__ keeps -Wpedantic quiet about it).
#pragma once

namespace sasim::sim {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

}  // namespace sasim::sim
