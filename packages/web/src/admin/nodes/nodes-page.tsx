export default function Page() {
  return <section>nodes-page</section>;
}
