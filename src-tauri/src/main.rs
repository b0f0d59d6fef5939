fn main(){powermap::run()}
