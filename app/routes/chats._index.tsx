export default function NewChat() {
  return <main><h1>Parley</h1></main>;
}
