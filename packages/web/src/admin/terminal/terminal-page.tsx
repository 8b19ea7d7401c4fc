export default function TerminalPage() {
  return <main className="page">terminal</main>;
}
