fn main() {
    powermap::run()
}
