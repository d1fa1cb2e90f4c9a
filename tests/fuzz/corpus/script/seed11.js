//!t
class A { constructor() { this.x = 1 } get y() { return 2 } }; new A().y