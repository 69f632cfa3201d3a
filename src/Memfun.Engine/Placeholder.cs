namespace Memfun.Engine;
