//!t
let x = [1, 2, 3].map(v => v * 2); const [a, ...b] = x; `${a}:${b}`