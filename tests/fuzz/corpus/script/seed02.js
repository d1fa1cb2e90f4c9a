//!sjc
throw new Error('x')