//!j
console.log('hi'); output = {x: 1}