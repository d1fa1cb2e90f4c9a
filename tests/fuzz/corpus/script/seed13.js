//!t
async function f() { return await 1 } f().then(v => console.log(v))