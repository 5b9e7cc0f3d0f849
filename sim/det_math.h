// Logarithm and exponential built only from IEEE-754 basic operations.
//
// The C library's log() and exp() may round differently between libm
// versions and CPUs, which would let a lognormal delay differ by one
// nanosecond between two machines and change a run. +, -, *, / and sqrt are
// correctly rounded everywhere, so these functions, built from them alone
// (and compiled with -ffp-contract=off), give identical bits on every
// machine. They are accurate to a few ulps, plenty for sampling delays.
#pragma once

namespace sasim::sim {

// Natural logarithm of x > 0 (finite). Returns -inf for 0 and NaN for x < 0.
double det_log(double x);

// e^x. Returns +inf above about 709.78 and 0 below about -745.
double det_exp(double x);

}  // namespace sasim::sim
