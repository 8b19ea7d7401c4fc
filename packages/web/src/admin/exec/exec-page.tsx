export default function Page() {
  return <section>exec-page</section>;
}
