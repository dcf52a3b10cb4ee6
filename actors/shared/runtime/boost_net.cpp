// The one translation unit that holds Boost.Asio's and Boost.Beast's compiled
// code: every other file sees their declarations only
// (BOOST_ASIO_SEPARATE_COMPILATION, BOOST_BEAST_SEPARATE_COMPILATION, set by
// the platform_boost_net target).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
